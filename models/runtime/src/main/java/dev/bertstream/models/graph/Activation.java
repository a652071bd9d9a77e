package dev.bertstream.models.graph;

/** The feed-forward non-linearity, as named by Hugging Face's {@code hidden_act}. */
public enum Activation {
    /** Exact GELU, {@code 0.5·x·(1 + erf(x/√2))}: BERT's {@code gelu}. */
    GELU("gelu"),
    /** Tanh approximation of GELU: {@code gelu_new} / {@code gelu_pytorch_tanh}. */
    GELU_TANH("gelu_tanh"),
    /** {@code max(0, x)}: DistilBERT's {@code activation: relu}, and its classifier's. */
    RELU("relu"),
    /** {@code tanh(x)}: the non-linearity of BERT's pooler and RoBERTa's classification head. */
    TANH("tanh");

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** Name stored in bundle.json. */
    public String id() {
        return id;
    }

    /** Maps a Hugging Face {@code hidden_act} (or our own id) to an activation. */
    public static Activation fromHuggingFace(String hiddenAct) {
        switch (hiddenAct) {
            case "gelu":
                return GELU;
            case "gelu_tanh":
            case "gelu_new":
            case "gelu_pytorch_tanh":
                return GELU_TANH;
            case "relu":
                return RELU;
            case "tanh":
                return TANH;
            default:
                throw new IllegalArgumentException(
                        "Unsupported hidden_act '"
                                + hiddenAct
                                + "': supported are gelu, gelu_new, gelu_pytorch_tanh, relu, tanh");
        }
    }
}
