package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.weights.BertConfig;

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
    XLM_ROBERTA("xlm-roberta", "roberta.");

    /** Types we know but do not import yet, with what is missing. */
    private static final String MODERNBERT_MISSING =
            "rotary positions, GeGLU, alternating local/global attention and bias-free layers";

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
        if (normalized.equals("modernbert")) {
            throw new IllegalArgumentException(
                    "model_type 'modernbert' is not supported yet ("
                            + MODERNBERT_MISSING
                            + " are not implemented); supported are "
                            + supported());
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
                roberta ? Integer.valueOf(c.path("pad_token_id").asInt(1)) : null);
    }

    /** The feed-forward activation ({@code hidden_act}, or DistilBERT's {@code activation}). */
    public Activation activation(JsonNode c) {
        String key = this == DISTILBERT ? "activation" : "hidden_act";
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
