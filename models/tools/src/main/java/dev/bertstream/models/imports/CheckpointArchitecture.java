package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.RotaryAttention;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The encoder families a Hugging Face checkpoint may hold, told apart by {@code config.json}'s
 * {@code model_type} (or, when absent, its {@code architectures}), each mapped onto the one encoder
 * graph: its config keys, its tensor names and its position ids.
 *
 * <p>Guessing from tensor names is not enough: a RoBERTa checkpoint saved without its {@code
 * roberta.} prefix has BERT's names and shapes, and would run with BERT's position ids.
 */
public enum CheckpointArchitecture {
    /** BERT and its descendants that kept its layout (MiniLM, BGE, ...). */
    BERT("bert", "bert."),
    /** DistilBERT: its own tensor names, no token types, LayerNorm epsilon 1e-12. */
    DISTILBERT("distilbert", "distilbert."),
    /** RoBERTa: BERT's layout, position ids offset past the padding id, one token type. */
    ROBERTA("roberta", "roberta."),
    /** XLM-RoBERTa: RoBERTa with a larger vocabulary, saved under the same prefix. */
    XLM_ROBERTA("xlm-roberta", "roberta."),
    /**
     * ModernBERT: rotary positions, GeGLU, alternating global and sliding-window attention,
     * pre-LayerNorm blocks, no biases.
     */
    MODERNBERT("modernbert", "model.");

    private static final Pattern MODERNBERT_LAYER = Pattern.compile("^layers\\.(\\d+)\\.(.+)$");

    private static final Pattern DISTILBERT_LAYER =
            Pattern.compile("^transformer\\.layer\\.(\\d+)\\.(.+)$");

    private final String modelType;
    private final String prefix;

    CheckpointArchitecture(String modelType, String prefix) {
        this.modelType = modelType;
        this.prefix = prefix;
    }

    /** The {@code model_type} value in config.json. */
    public String modelType() {
        return modelType;
    }

    /** The base-model prefix of tensor names in {@code *For*} checkpoints, e.g. {@code bert.}. */
    public String prefix() {
        return prefix;
    }

    /**
     * The architecture {@code config.json} declares.
     *
     * @throws IllegalArgumentException naming the type and the supported ones when it is unknown,
     *     unsupported, or not declared at all
     */
    public static CheckpointArchitecture of(JsonNode config) {
        String type = config.path("model_type").asText("");
        if (type.isEmpty()) {
            type = fromArchitectures(config.path("architectures"));
        }
        if (type.isEmpty()) {
            throw new IllegalArgumentException(
                    "config.json declares neither model_type nor architectures, so the encoder "
                            + "family is unknown; add \"model_type\" (one of "
                            + supported()
                            + ")");
        }
        String normalized = type.toLowerCase(Locale.ROOT).replace('_', '-');
        for (CheckpointArchitecture a : values()) {
            if (a.modelType.equals(normalized)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "Unsupported model_type '" + type + "': supported are " + supported());
    }

    /** The supported {@code model_type} values, comma-separated. */
    public static String supported() {
        return Arrays.stream(values()).map(a -> a.modelType).collect(Collectors.joining(", "));
    }

    private static String fromArchitectures(JsonNode architectures) {
        if (!architectures.isArray() || architectures.isEmpty()) {
            return "";
        }
        String arch = architectures.get(0).asText();
        // Longest names first: XLMRoberta before Roberta, DistilBert and ModernBert before Bert.
        String[][] known = {
            {"XLMRoberta", "xlm-roberta"},
            {"Roberta", "roberta"},
            {"DistilBert", "distilbert"},
            {"ModernBert", "modernbert"},
            {"Bert", "bert"}
        };
        for (String[] k : known) {
            if (arch.startsWith(k[0])) {
                return k[1];
            }
        }
        return arch;
    }

    /** The encoder shape from config.json, in this family's keys. */
    public BertConfig config(JsonNode c) {
        if (this == MODERNBERT) {
            return new BertConfig(
                    required(c, "vocab_size"),
                    required(c, "hidden_size"),
                    required(c, "num_hidden_layers"),
                    required(c, "num_attention_heads"),
                    required(c, "intermediate_size"),
                    required(c, "max_position_embeddings"),
                    0,
                    c.path("norm_eps").asDouble(1e-5),
                    null,
                    new RotaryAttention(
                            ropeTheta(c, "full_attention", "global_rope_theta", 160000.0),
                            ropeTheta(c, "sliding_attention", "local_rope_theta", 10000.0),
                            c.path("global_attn_every_n_layers").asInt(3),
                            c.path("local_attention").asInt(128)));
        }
        if (this == DISTILBERT) {
            return new BertConfig(
                    required(c, "vocab_size"),
                    required(c, "dim"),
                    required(c, "n_layers"),
                    required(c, "n_heads"),
                    required(c, "hidden_dim"),
                    required(c, "max_position_embeddings"),
                    0,
                    // DistilBERT hard-codes its LayerNorms' epsilon.
                    1e-12);
        }
        String positions = c.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new IllegalArgumentException(
                    "position_embedding_type '"
                            + positions
                            + "' is not supported (only absolute position embeddings are)");
        }
        boolean roberta = this == ROBERTA || this == XLM_ROBERTA;
        return new BertConfig(
                required(c, "vocab_size"),
                required(c, "hidden_size"),
                required(c, "num_hidden_layers"),
                required(c, "num_attention_heads"),
                required(c, "intermediate_size"),
                required(c, "max_position_embeddings"),
                c.path("type_vocab_size").asInt(roberta ? 1 : 2),
                c.path("layer_norm_eps").asDouble(roberta ? 1e-5 : 1e-12),
                roberta ? Integer.valueOf(c.path("pad_token_id").asInt(1)) : null,
                null);
    }

    /**
     * A rotary base: from {@code rope_parameters.<layerType>} (newer configs) or the older flat
     * key. Only the default rotary type is implemented.
     */
    private static double ropeTheta(JsonNode c, String layerType, String flatKey, double dflt) {
        JsonNode p = c.path("rope_parameters").path(layerType);
        if (!p.isMissingNode()) {
            String type = p.path("rope_type").asText("default");
            if (!type.equals("default")) {
                throw new IllegalArgumentException(
                        "rope_type '" + type + "' is not supported (only default rotary is)");
            }
            return p.path("rope_theta").asDouble(dflt);
        }
        return c.path(flatKey).asDouble(dflt);
    }

    /**
     * The feed-forward activation ({@code hidden_act}, DistilBERT's {@code activation},
     * ModernBERT's {@code hidden_activation}).
     */
    public Activation activation(JsonNode c) {
        String key =
                switch (this) {
                    case DISTILBERT -> "activation";
                    case MODERNBERT -> "hidden_activation";
                    default -> "hidden_act";
                };
        return Activation.fromHuggingFace(c.path(key).asText("gelu"));
    }

    /**
     * This family's tensor name without its base-model prefix, or the name unchanged when it has
     * none (a base model saved on its own).
     */
    public String stripPrefix(String name) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    /**
     * The canonical encoder name (see {@link dev.bertstream.models.weights.BertWeights}) of an
     * unprefixed tensor name, before dense weights become kernels, or {@code null} when the tensor
     * is not part of the encoder.
     */
    String encoderName(String n) {
        if (this == MODERNBERT) {
            return modernBertName(n);
        }
        if (this == DISTILBERT) {
            if (n.startsWith("embeddings.")) {
                return n;
            }
            Matcher m = DISTILBERT_LAYER.matcher(n);
            if (!m.matches()) {
                return null;
            }
            String part = distilbertPart(m.group(2));
            return part == null ? null : "encoder.layer." + m.group(1) + "." + part;
        }
        return n.startsWith("embeddings.") || n.startsWith("encoder.") ? n : null;
    }

    /**
     * ModernBERT's names; the packed {@code Wqkv} and {@code Wi} keep a provisional name ({@code
     * attention.self.qkv}, {@code intermediate.wi}) until {@link ModernBertLayout} splits them.
     */
    private static String modernBertName(String n) {
        switch (n) {
            case "embeddings.tok_embeddings.weight":
                return "embeddings.word_embeddings.weight";
            case "embeddings.norm.weight":
                return "embeddings.LayerNorm.weight";
            case "embeddings.norm.bias":
                return "embeddings.LayerNorm.bias";
            case "final_norm.weight":
            case "final_norm.bias":
                return n;
            default:
                break;
        }
        Matcher m = MODERNBERT_LAYER.matcher(n);
        if (!m.matches()) {
            return null;
        }
        String[][] map = {
            {"attn_norm.", "attention.input_norm."},
            {"attn.Wqkv.", "attention.self.qkv."},
            {"attn.Wo.", "attention.output.dense."},
            {"mlp_norm.", "mlp_norm."},
            {"mlp.Wi.", "intermediate.wi."},
            {"mlp.Wo.", "output.dense."}
        };
        for (String[] r : map) {
            if (m.group(2).startsWith(r[0])) {
                return "encoder.layer."
                        + m.group(1)
                        + "."
                        + r[1]
                        + m.group(2).substring(r[0].length());
            }
        }
        return null;
    }

    private static String distilbertPart(String p) {
        String[][] map = {
            {"attention.q_lin.", "attention.self.query."},
            {"attention.k_lin.", "attention.self.key."},
            {"attention.v_lin.", "attention.self.value."},
            {"attention.out_lin.", "attention.output.dense."},
            {"sa_layer_norm.", "attention.output.LayerNorm."},
            {"ffn.lin1.", "intermediate.dense."},
            {"ffn.lin2.", "output.dense."},
            {"output_layer_norm.", "output.LayerNorm."}
        };
        for (String[] m : map) {
            if (p.startsWith(m[0])) {
                return m[1] + p.substring(m[0].length());
            }
        }
        return null;
    }

    private static int required(JsonNode c, String key) {
        JsonNode v = c.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("config.json lacks the integer '" + key + "'");
        }
        return v.asInt();
    }
}
