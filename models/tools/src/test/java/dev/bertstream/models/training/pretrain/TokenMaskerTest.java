package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenSpans;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokenMaskerTest {

    private static final String ENGLISH =
            "the refund never arrived and customer support keeps ignoring my messages about it";

    private static BertTokenizer minilm;
    private static BertTokenizer bgeZh;
    private static SpecialTokens minilmSpecial;

    @BeforeAll
    static void tokenizers() throws Exception {
        Path cache = Path.of("target", "pretrained");
        Path en = PretrainedEncoder.MINILM_L6.resolve(cache).tokenizerJson();
        minilm = BertTokenizer.fromTokenizerJson(en, 128);
        minilmSpecial = SpecialTokens.read(en);
        bgeZh =
                BertTokenizer.fromTokenizerJson(
                        PretrainedEncoder.BGE_SMALL_ZH.resolve(cache).tokenizerJson(), 128);
    }

    @AfterAll
    static void close() {
        minilm.close();
        bgeZh.close();
    }

    @Test
    void masksAboutFifteenPercentSplitEightyTenTenAndNeverSpecialTokens() {
        TokenMasker masker =
                new TokenMasker(minilmSpecial.maskId(), 30522, minilmSpecial.all(), 0.15, false);
        TokenSpans text = minilm.encodeWithSpans(ENGLISH);
        int[] original = text.tokens().inputIds();
        int n = original.length;
        Random random = new Random(7);
        int predicted = 0;
        int masked = 0;
        int kept = 0;
        int texts = 2000;
        for (int i = 0; i < texts; i++) {
            MaskedText m = masker.mask(ENGLISH, text, random);
            for (int j = 0; j < m.positions().length; j++) {
                int p = m.positions()[j];
                assertThat(p).isBetween(1, n - 2); // never [CLS] or [SEP]
                assertThat(m.labels()[j]).isEqualTo(original[p]);
                predicted++;
                if (m.inputIds()[p] == minilmSpecial.maskId()) {
                    masked++;
                } else if (m.inputIds()[p] == original[p]) {
                    kept++;
                }
            }
            assertThat(m.inputIds()[0]).isEqualTo(original[0]);
            assertThat(m.inputIds()[n - 1]).isEqualTo(original[n - 1]);
        }
        assertThat((double) predicted / texts).isCloseTo(0.15 * (n - 2), within(0.6));
        assertThat((double) masked / predicted).isBetween(0.77, 0.83);
        assertThat((double) kept / predicted).isBetween(0.08, 0.12);
    }

    @Test
    void wholeWordMaskingMasksEveryPieceOfAWordTogether() {
        String text = "unbelievably disappointing customerservice";
        TokenMasker masker =
                new TokenMasker(minilmSpecial.maskId(), 30522, minilmSpecial.all(), 0.15, true);
        TokenSpans spans = minilm.encodeWithSpans(text);
        assertThat(spans.tokens().length()).as("words split into pieces").isGreaterThan(5);
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            MaskedText m = masker.mask(text, spans, random);
            Set<Integer> words = new HashSet<>();
            for (int p : m.positions()) {
                words.add(WordSegmenter.wordIndexOfChars(text)[spans.starts()[p]]);
            }
            // every token of a chosen word is predicted
            for (int t = 1; t < spans.tokens().length() - 1; t++) {
                int word = WordSegmenter.wordIndexOfChars(text)[spans.starts()[t]];
                if (words.contains(word)) {
                    assertThat(m.positions()).contains(t);
                }
            }
        }
    }

    @Test
    void chineseWholeWordsSpanSeveralCharacterTokens() {
        String text = "这家酒店的服务员态度非常好";
        TokenSpans spans = bgeZh.encodeWithSpans(text);
        int[] word = WordSegmenter.wordIndexOfChars(text);
        // BERT's Chinese vocabulary has one token per character ...
        assertThat(spans.tokens().length()).isEqualTo(text.length() + 2);
        // ... and the segmenter joins characters into words such as 酒店 and 态度.
        assertThat(word[2]).isEqualTo(word[3]);
        assertThat(word[8]).isEqualTo(word[9]);
        assertThat(word[3]).isNotEqualTo(word[4]);
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(v);
    }
}
