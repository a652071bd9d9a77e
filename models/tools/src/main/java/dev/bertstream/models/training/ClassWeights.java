package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

/** Loss weights of classes, for imbalanced training data. */
@Internal
public final class ClassWeights {

    private ClassWeights() {}

    /**
     * Weights {@code n / (k · n_c)}, so every class contributes equally to the loss (0 for an
     * absent class).
     */
    public static double[] inverseFrequency(int[] y, int classes) {
        int[] counts = new int[classes];
        for (int label : y) {
            counts[label]++;
        }
        double[] w = new double[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = counts[c] == 0 ? 0 : (double) y.length / (classes * counts[c]);
        }
        return w;
    }
}
