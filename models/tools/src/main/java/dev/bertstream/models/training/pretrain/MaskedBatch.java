package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.inference.PaddedBatch;
import dev.bertstream.models.tokenizer.TokenizedText;

import java.util.ArrayList;
import java.util.List;

/**
 * Masked texts padded into one batch, with the positions to predict flattened into the {@code
 * [rows·width]} token axis the graph gathers from.
 */
record MaskedBatch(PaddedBatch padded, int[] flatPositions, int[] labels) {

    static MaskedBatch of(List<MaskedText> texts) {
        List<TokenizedText> tokens = new ArrayList<>(texts.size());
        int[] indices = new int[texts.size()];
        int count = 0;
        for (int i = 0; i < texts.size(); i++) {
            MaskedText t = texts.get(i);
            tokens.add(new TokenizedText(t.inputIds(), t.typeIds(), false));
            indices[i] = i;
            count += t.positions().length;
        }
        PaddedBatch padded = PaddedBatch.of(tokens, indices);
        int[] flat = new int[count];
        int[] labels = new int[count];
        int k = 0;
        for (int r = 0; r < texts.size(); r++) {
            MaskedText t = texts.get(r);
            for (int j = 0; j < t.positions().length; j++) {
                flat[k] = r * padded.width() + t.positions()[j];
                labels[k++] = t.labels()[j];
            }
        }
        return new MaskedBatch(padded, flat, labels);
    }
}
