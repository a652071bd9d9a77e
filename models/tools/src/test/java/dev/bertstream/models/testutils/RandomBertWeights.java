package dev.bertstream.models.testutils;

import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.bertstream.models.weights.BertWeights.layer;

/**
 * Small random encoders and heads, for tests that exercise graphs and bundles without a pretrained
 * model.
 */
public final class RandomBertWeights {

    private RandomBertWeights() {}

    /** A tiny config sharing BERT's uncased vocabulary size, so real tokenizers can feed it. */
    public static BertConfig tinyConfig() {
        return new BertConfig(30522, 32, 2, 4, 64, 128, 2, 1e-12);
    }

    /** Random weights of the right shapes for {@code c}, deterministic for {@code seed}. */
    public static BertWeights create(BertConfig c, long seed) {
        Random r = new Random(seed);
        Map<String, WeightTensor> t = new LinkedHashMap<>();
        int h = c.hiddenSize();
        t.put("embeddings.word_embeddings.weight", random(r, c.vocabSize(), h));
        t.put("embeddings.position_embeddings.weight", random(r, c.maxPositions(), h));
        t.put("embeddings.token_type_embeddings.weight", random(r, c.typeVocabSize(), h));
        putLayerNorm(t, r, "embeddings.LayerNorm", h);
        for (int i = 0; i < c.numLayers(); i++) {
            for (String p :
                    new String[] {
                        "attention.self.query",
                        "attention.self.key",
                        "attention.self.value",
                        "attention.output.dense"
                    }) {
                t.put(layer(i, p + ".kernel"), random(r, h, h));
                t.put(layer(i, p + ".bias"), random(r, h));
            }
            putLayerNorm(t, r, layer(i, "attention.output.LayerNorm"), h);
            t.put(layer(i, "intermediate.dense.kernel"), random(r, h, c.intermediateSize()));
            t.put(layer(i, "intermediate.dense.bias"), random(r, c.intermediateSize()));
            t.put(layer(i, "output.dense.kernel"), random(r, c.intermediateSize(), h));
            t.put(layer(i, "output.dense.bias"), random(r, h));
            putLayerNorm(t, r, layer(i, "output.LayerNorm"), h);
        }
        return new BertWeights(c, t);
    }

    /** A random linear head over {@code hidden} features. */
    public static TaskHead head(String name, List<String> labels, int hidden, long seed) {
        Random r = new Random(seed);
        return new TaskHead(
                name, labels, random(r, hidden, labels.size()), random(r, labels.size()));
    }

    private static void putLayerNorm(Map<String, WeightTensor> t, Random r, String prefix, int h) {
        float[] gamma = new float[h];
        for (int i = 0; i < h; i++) {
            gamma[i] = 1f + (float) r.nextGaussian() * 0.1f;
        }
        t.put(prefix + ".weight", new WeightTensor(new long[] {h}, gamma));
        t.put(prefix + ".bias", random(r, h));
    }

    private static WeightTensor random(Random r, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian() * 0.1f;
        }
        return new WeightTensor(shape, data);
    }
}
