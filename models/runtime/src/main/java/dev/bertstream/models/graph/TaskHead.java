package dev.bertstream.models.graph;

import dev.bertstream.models.weights.WeightTensor;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;
import java.util.Objects;

/**
 * A classification head on the pooled embedding: {@code scores(act(embedding · preKernel + preBias)
 * · kernel + bias)}, where the hidden dense layer is present only for heads imported from a
 * fine-tuned checkpoint (BERT's pooler, RoBERTa's {@code classifier.dense}, DistilBERT's {@code
 * pre_classifier}), and {@code scores} is softmax or per-label sigmoid.
 *
 * @param name task name, e.g. {@code sentiment}; also names the graph outputs
 * @param labels class labels in output order
 * @param kernel {@code [hidden, labels.size()]}
 * @param bias {@code [labels.size()]}
 * @param activation softmax (one label) or sigmoid (independent labels)
 * @param hiddenLayer the dense layer before the output layer, or {@code null}
 */
@PublicEvolving
public record TaskHead(
        String name,
        List<String> labels,
        WeightTensor kernel,
        WeightTensor bias,
        HeadActivation activation,
        HiddenLayer hiddenLayer) {

    /**
     * A dense layer and its non-linearity between the pooled embedding and the output layer,
     * optionally followed by a LayerNorm (ModernBERT's prediction head).
     *
     * @param kernel {@code [hidden, hidden]}
     * @param bias {@code [hidden]}
     * @param activation e.g. {@link Activation#TANH} (BERT, RoBERTa), {@link Activation#RELU}
     *     (DistilBERT) or {@link Activation#GELU} (ModernBERT)
     * @param normWeight LayerNorm scale {@code [hidden]}, or {@code null} for no LayerNorm
     * @param normBias LayerNorm shift {@code [hidden]}, or {@code null} for no LayerNorm
     * @param normEps LayerNorm epsilon (ignored without LayerNorm)
     */
    public record HiddenLayer(
            WeightTensor kernel,
            WeightTensor bias,
            Activation activation,
            WeightTensor normWeight,
            WeightTensor normBias,
            double normEps) {

        /** A dense layer and its non-linearity, without LayerNorm. */
        public HiddenLayer(WeightTensor kernel, WeightTensor bias, Activation activation) {
            this(kernel, bias, activation, null, null, 0);
        }

        public HiddenLayer {
            Objects.requireNonNull(activation, "activation");
            if (kernel.rank() != 2 || bias.rank() != 1 || bias.dim(0) != kernel.dim(1)) {
                throw new IllegalArgumentException(
                        "Hidden head layer has kernel " + kernel + " and bias " + bias);
            }
            if ((normWeight == null) != (normBias == null)
                    || (normWeight != null
                            && (normWeight.dim(0) != kernel.dim(1)
                                    || normBias.dim(0) != kernel.dim(1)
                                    || normEps <= 0))) {
                throw new IllegalArgumentException(
                        "Hidden head layer LayerNorm needs a weight and a bias of "
                                + kernel.dim(1)
                                + " and a positive epsilon");
            }
        }

        /** Whether a LayerNorm follows the activation. */
        public boolean hasNorm() {
            return normWeight != null;
        }
    }

    /** A linear softmax head, as trained by this project. */
    public TaskHead(String name, List<String> labels, WeightTensor kernel, WeightTensor bias) {
        this(name, labels, kernel, bias, HeadActivation.SOFTMAX, null);
    }

    /** A linear head, softmax or sigmoid (a multi-label head trained by this project). */
    public TaskHead(
            String name,
            List<String> labels,
            WeightTensor kernel,
            WeightTensor bias,
            HeadActivation activation) {
        this(name, labels, kernel, bias, activation, null);
    }

    public TaskHead {
        labels = List.copyOf(labels);
        Objects.requireNonNull(activation, "activation");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(
                    "Task name '"
                            + name
                            + "' must be lower-case letters, digits and '_', starting with a letter");
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException(
                    "Task '" + name + "' needs at least two labels, got " + labels);
        }
        if (kernel.rank() != 2
                || kernel.dim(1) != labels.size()
                || bias.rank() != 1
                || bias.dim(0) != labels.size()) {
            throw new IllegalArgumentException(
                    "Task '"
                            + name
                            + "' head has kernel "
                            + kernel
                            + " and bias "
                            + bias
                            + " but "
                            + labels.size()
                            + " labels");
        }
        if (hiddenLayer != null && hiddenLayer.kernel().dim(1) != kernel.dim(0)) {
            throw new IllegalArgumentException(
                    "Task '"
                            + name
                            + "' hidden layer "
                            + hiddenLayer.kernel()
                            + " does not feed kernel "
                            + kernel);
        }
    }

    /** Width of the embedding this head reads. */
    public long inputSize() {
        return hiddenLayer != null ? hiddenLayer.kernel().dim(0) : kernel.dim(0);
    }

    /** Canonical variable name of the kernel. */
    public String kernelName() {
        return "heads." + name + ".kernel";
    }

    /** Canonical variable name of the bias. */
    public String biasName() {
        return "heads." + name + ".bias";
    }

    /** Canonical variable name of the hidden layer's kernel. */
    public String hiddenKernelName() {
        return "heads." + name + ".hidden.kernel";
    }

    /** Canonical variable name prefix of the hidden layer's LayerNorm. */
    public String hiddenNormName() {
        return "heads." + name + ".hidden.norm";
    }

    /** Canonical variable name of the hidden layer's bias. */
    public String hiddenBiasName() {
        return "heads." + name + ".hidden.bias";
    }
}
