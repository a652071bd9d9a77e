package dev.bertstream.models.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The weights of a BERT encoder under canonical names, whatever format they came from.
 *
 * <p>Canonical names follow Hugging Face's {@code BertModel} without the {@code bert.} prefix, with
 * one change: dense layers are stored as {@code .kernel} in {@code x·W} orientation ({@code [in,
 * out]}), so importers transpose PyTorch's {@code [out, in]} {@code .weight} once and the graph
 * never has to.
 *
 * <pre>
 * embeddings.word_embeddings.weight          [vocab, hidden]
 * embeddings.position_embeddings.weight      [maxPositions, hidden]
 * embeddings.token_type_embeddings.weight    [typeVocab, hidden] (absent when typeVocab is 0)
 * embeddings.LayerNorm.weight / .bias        [hidden]
 * encoder.layer.N.attention.self.{query,key,value}.kernel [hidden, hidden], .bias [hidden]
 * encoder.layer.N.attention.output.dense.kernel [hidden, hidden], .bias [hidden]
 * encoder.layer.N.attention.output.LayerNorm.weight / .bias [hidden]
 * encoder.layer.N.intermediate.dense.kernel  [hidden, intermediate], .bias [intermediate]
 * encoder.layer.N.output.dense.kernel        [intermediate, hidden], .bias [hidden]
 * encoder.layer.N.output.LayerNorm.weight / .bias [hidden]
 * </pre>
 */
public final class BertWeights {

    private final BertConfig config;
    private final Map<String, WeightTensor> tensors;

    public BertWeights(BertConfig config, Map<String, WeightTensor> tensors) {
        this.config = Objects.requireNonNull(config, "config");
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public BertConfig config() {
        return config;
    }

    /** All tensors by canonical name, in import order. */
    public Map<String, WeightTensor> tensors() {
        return tensors;
    }

    /** The tensor named {@code name}; fails with the name when it is missing. */
    public WeightTensor get(String name) {
        WeightTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("Encoder weights lack tensor '" + name + "'");
        }
        return t;
    }

    /**
     * Every canonical tensor name an encoder of this config has, embeddings first, then layer by
     * layer.
     */
    public static java.util.List<String> canonicalNames(BertConfig c) {
        if (c.isModernBert()) {
            return modernBertNames(c);
        }
        java.util.List<String> names =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "embeddings.word_embeddings.weight",
                                "embeddings.position_embeddings.weight",
                                "embeddings.token_type_embeddings.weight",
                                "embeddings.LayerNorm.weight",
                                "embeddings.LayerNorm.bias"));
        if (!c.hasTokenTypes()) {
            names.remove("embeddings.token_type_embeddings.weight");
        }
        for (int i = 0; i < c.numLayers(); i++) {
            for (String p :
                    new String[] {
                        "attention.self.query",
                        "attention.self.key",
                        "attention.self.value",
                        "attention.output.dense",
                        "intermediate.dense",
                        "output.dense"
                    }) {
                names.add(layer(i, p + ".kernel"));
                names.add(layer(i, p + ".bias"));
            }
            for (String ln : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
                names.add(layer(i, ln + ".weight"));
                names.add(layer(i, ln + ".bias"));
            }
        }
        return names;
    }

    /**
     * ModernBERT under canonical names: no position or token type table, a pre-attention LayerNorm
     * ({@code attention.input_norm}, absent in layer 0) and a pre-feed-forward one ({@code
     * mlp_norm}), the GeGLU gate ({@code intermediate.gate}) beside {@code intermediate.dense}, and
     * {@code final_norm}. Importers split the packed {@code Wqkv} and {@code Wi} and give bias-free
     * layers zero biases.
     */
    private static java.util.List<String> modernBertNames(BertConfig c) {
        java.util.List<String> names =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "embeddings.word_embeddings.weight",
                                "embeddings.LayerNorm.weight",
                                "embeddings.LayerNorm.bias"));
        for (int i = 0; i < c.numLayers(); i++) {
            java.util.List<String> norms = new java.util.ArrayList<>();
            if (i > 0) {
                norms.add("attention.input_norm");
            }
            norms.add("mlp_norm");
            for (String ln : norms) {
                names.add(layer(i, ln + ".weight"));
                names.add(layer(i, ln + ".bias"));
            }
            for (String p :
                    new String[] {
                        "attention.self.query",
                        "attention.self.key",
                        "attention.self.value",
                        "attention.output.dense",
                        "intermediate.dense",
                        "intermediate.gate",
                        "output.dense"
                    }) {
                names.add(layer(i, p + ".kernel"));
                names.add(layer(i, p + ".bias"));
            }
        }
        names.add("final_norm.weight");
        names.add("final_norm.bias");
        return names;
    }

    /** Canonical name of a per-layer tensor, e.g. {@code layer(3, "output.dense.kernel")}. */
    public static String layer(int index, String suffix) {
        return "encoder.layer." + index + "." + suffix;
    }
}
