package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.tokenizer.TokenSpans;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * BERT's masking: about {@code probability} of a text's tokens are chosen for prediction; of those,
 * 80% become {@code [MASK]}, 10% a random token and 10% stay as they are, so the encoder cannot
 * learn that only {@code [MASK]} positions matter. With whole-word masking, a chosen word has all
 * its tokens masked together (Cui et al., 2019), words found by {@link WordSegmenter}.
 */
final class TokenMasker {

    private final int maskId;
    private final int vocabSize;
    private final Set<Integer> specialIds;
    private final double probability;
    private final boolean wholeWord;

    TokenMasker(
            int maskId,
            int vocabSize,
            Set<Integer> specialIds,
            double probability,
            boolean wholeWord) {
        this.maskId = maskId;
        this.vocabSize = vocabSize;
        this.specialIds = Set.copyOf(specialIds);
        this.probability = probability;
        this.wholeWord = wholeWord;
    }

    /** Masks {@code text} (tokenized from {@code source}) with fresh random choices. */
    MaskedText mask(String source, TokenSpans text, Random random) {
        int[] ids = text.tokens().inputIds().clone();
        List<int[]> units = units(source, text);
        int tokens = 0;
        for (int[] u : units) {
            tokens += u.length;
        }
        int target = Math.max(1, (int) Math.round(probability * tokens));
        Collections.shuffle(units, random);
        List<Integer> positions = new ArrayList<>();
        for (int[] unit : units) {
            if (positions.size() >= target) {
                break;
            }
            if (positions.size() + unit.length > target && !positions.isEmpty()) {
                continue; // a long word would overshoot: try a shorter one
            }
            for (int p : unit) {
                positions.add(p);
            }
        }
        Collections.sort(positions);
        int[] pos = new int[positions.size()];
        int[] labels = new int[pos.length];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = positions.get(i);
            labels[i] = ids[pos[i]];
            double r = random.nextDouble();
            if (r < 0.8) {
                ids[pos[i]] = maskId;
            } else if (r < 0.9) {
                ids[pos[i]] = randomToken(random);
            }
        }
        return new MaskedText(ids, text.tokens().typeIds(), pos, labels);
    }

    /** The maskable units: single tokens, or the tokens of one word. Special tokens never. */
    private List<int[]> units(String source, TokenSpans text) {
        int n = text.starts().length;
        List<int[]> units = new ArrayList<>();
        if (!wholeWord) {
            for (int i = 0; i < n; i++) {
                if (text.starts()[i] >= 0) {
                    units.add(new int[] {i});
                }
            }
            return units;
        }
        int[] wordOfChar = WordSegmenter.wordIndexOfChars(source);
        List<Integer> current = new ArrayList<>();
        int currentWord = -1;
        for (int i = 0; i < n; i++) {
            int start = text.starts()[i];
            if (start < 0 || start >= wordOfChar.length) {
                continue;
            }
            int word = wordOfChar[start];
            if (word != currentWord && !current.isEmpty()) {
                units.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
            }
            currentWord = word;
            current.add(i);
        }
        if (!current.isEmpty()) {
            units.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return units;
    }

    private int randomToken(Random random) {
        while (true) {
            int id = random.nextInt(vocabSize);
            if (!specialIds.contains(id)) {
                return id;
            }
        }
    }
}
