package dev.bertstream.models.graph;

import dev.bertstream.models.weights.WeightTensor;

import java.util.List;
import java.util.Objects;

/**
 * A linear classification head on the pooled embedding: {@code softmax(embedding · kernel + bias)},
 * or for a multi-label head one {@code sigmoid} per label.
 *
 * @param name task name, e.g. {@code sentiment}; also names the graph outputs
 * @param labels class labels in output order
 * @param kernel {@code [hidden, labels.size()]}
 * @param bias {@code [labels.size()]}
 * @param activation softmax (one label) or sigmoid (independent labels)
 */
public record TaskHead(
        String name,
        List<String> labels,
        WeightTensor kernel,
        WeightTensor bias,
        HeadActivation activation) {

    /** A linear softmax head. */
    public TaskHead(String name, List<String> labels, WeightTensor kernel, WeightTensor bias) {
        this(name, labels, kernel, bias, HeadActivation.SOFTMAX);
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
    }

    /** Canonical variable name of the kernel. */
    public String kernelName() {
        return "heads." + name + ".kernel";
    }

    /** Canonical variable name of the bias. */
    public String biasName() {
        return "heads." + name + ".bias";
    }
}
