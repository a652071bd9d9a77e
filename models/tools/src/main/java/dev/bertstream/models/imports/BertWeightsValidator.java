package dev.bertstream.models.imports;

import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import java.util.Arrays;

import static dev.bertstream.models.weights.BertWeights.layer;

/** Checks that every tensor a BERT encoder needs is present with the shape its config implies. */
public final class BertWeightsValidator {

    private BertWeightsValidator() {}

    /** Fails with the name of the first missing or mis-shaped tensor. */
    public static void validate(BertWeights w) {
        BertConfig c = w.config();
        if (c.isModernBert()) {
            validateModernBert(w);
            return;
        }
        int h = c.hiddenSize();
        expect(w, "embeddings.word_embeddings.weight", c.vocabSize(), h);
        expect(w, "embeddings.position_embeddings.weight", c.maxPositions(), h);
        if (c.hasTokenTypes()) {
            expect(w, "embeddings.token_type_embeddings.weight", c.typeVocabSize(), h);
        }
        expect(w, "embeddings.LayerNorm.weight", h);
        expect(w, "embeddings.LayerNorm.bias", h);
        for (int i = 0; i < c.numLayers(); i++) {
            for (String p :
                    new String[] {
                        "attention.self.query",
                        "attention.self.key",
                        "attention.self.value",
                        "attention.output.dense"
                    }) {
                expect(w, layer(i, p + ".kernel"), h, h);
                expect(w, layer(i, p + ".bias"), h);
            }
            for (String ln : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
                expect(w, layer(i, ln + ".weight"), h);
                expect(w, layer(i, ln + ".bias"), h);
            }
            expect(w, layer(i, "intermediate.dense.kernel"), h, c.intermediateSize());
            expect(w, layer(i, "intermediate.dense.bias"), c.intermediateSize());
            expect(w, layer(i, "output.dense.kernel"), c.intermediateSize(), h);
            expect(w, layer(i, "output.dense.bias"), h);
        }
    }

    private static void validateModernBert(BertWeights w) {
        BertConfig c = w.config();
        int h = c.hiddenSize();
        int inner = c.intermediateSize();
        expect(w, "embeddings.word_embeddings.weight", c.vocabSize(), h);
        for (String vector : BertWeights.canonicalNames(c)) {
            if (vector.endsWith("norm.weight")
                    || vector.endsWith("norm.bias")
                    || vector.contains("LayerNorm.")) {
                expect(w, vector, h);
            }
        }
        for (int i = 0; i < c.numLayers(); i++) {
            for (String p :
                    new String[] {
                        "attention.self.query",
                        "attention.self.key",
                        "attention.self.value",
                        "attention.output.dense"
                    }) {
                expect(w, layer(i, p + ".kernel"), h, h);
                expect(w, layer(i, p + ".bias"), h);
            }
            for (String p : new String[] {"intermediate.dense", "intermediate.gate"}) {
                expect(w, layer(i, p + ".kernel"), h, inner);
                expect(w, layer(i, p + ".bias"), inner);
            }
            expect(w, layer(i, "output.dense.kernel"), inner, h);
            expect(w, layer(i, "output.dense.bias"), h);
        }
    }

    private static void expect(BertWeights w, String name, long... shape) {
        WeightTensor t = w.tensors().get(name);
        if (t == null) {
            throw new IllegalArgumentException("Encoder weights lack tensor '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(
                    "Tensor '"
                            + name
                            + "' has shape "
                            + Arrays.toString(t.shape())
                            + ", expected "
                            + Arrays.toString(shape));
        }
    }
}
