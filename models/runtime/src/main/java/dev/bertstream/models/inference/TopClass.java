package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

/** The index of the most probable class; ties go to the first, as in {@code argmax}. */
@PublicEvolving
public final class TopClass {

    private TopClass() {}

    /** Index of the largest of {@code probabilities}. */
    public static int of(float[] probabilities) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            best = probabilities[c] > probabilities[best] ? c : best;
        }
        return best;
    }

    /** Index of the largest of {@code probabilities}. */
    public static int of(double[] probabilities) {
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            best = probabilities[c] > probabilities[best] ? c : best;
        }
        return best;
    }
}
