package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

/**
 * Hyper-parameters of frozen-encoder head training.
 *
 * @param epochs passes over the training set at most
 * @param learningRate AdamW step size
 * @param weightDecay AdamW decoupled weight decay
 * @param batchSize examples per update
 * @param patience epochs without dev improvement before stopping early
 * @param seed shuffling seed; the same seed gives the same head
 * @param classWeights weight classes by inverse frequency, for imbalanced data
 */
@Internal
public record HeadTrainingOptions(
        int epochs,
        double learningRate,
        double weightDecay,
        int batchSize,
        int patience,
        long seed,
        boolean classWeights) {

    public HeadTrainingOptions {
        if (epochs < 1 || batchSize < 1 || patience < 1 || !(learningRate > 0) || weightDecay < 0) {
            throw new IllegalArgumentException(
                    "Bad training options: "
                            + this
                            + " (epochs, batch size and patience >= 1, learning rate > 0, weight decay >= 0)");
        }
    }

    /** Defaults that train a linear head on sentence embeddings well in seconds. */
    public static HeadTrainingOptions defaults() {
        return new HeadTrainingOptions(60, 5e-3, 1e-4, 32, 8, 42, true);
    }
}
