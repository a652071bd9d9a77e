package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Picks, for each label of a multi-label task, the score threshold that maximises that label's F1
 * on dev: a label is assigned when its score is at or above its threshold.
 *
 * <p>Exact rather than on a grid: the dev examples are sorted by score and every cut between two
 * distinct scores is tried; the threshold is placed halfway between the lowest score kept and the
 * highest score left out, so it does not sit on a dev example. A label with no positive dev example
 * keeps {@link #DEFAULT_THRESHOLD}. On equal F1 the higher threshold wins (fewer false alarms).
 */
@Internal
public final class LabelThresholdCalibrator {

    /** The threshold of a label dev says nothing about: the sigmoid's even odds. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private LabelThresholdCalibrator() {}

    /**
     * @param scores score per dev example and label, {@code scores[example][label]}
     * @param gold whether each dev example carries each label
     * @return one threshold per label
     */
    public static double[] calibrate(double[][] scores, boolean[][] gold) {
        int labels = scores.length == 0 ? 0 : scores[0].length;
        double[] thresholds = new double[labels];
        double[] s = new double[scores.length];
        boolean[] g = new boolean[scores.length];
        for (int l = 0; l < labels; l++) {
            for (int i = 0; i < scores.length; i++) {
                s[i] = scores[i][l];
                g[i] = gold[i][l];
            }
            thresholds[l] = bestF1Threshold(s, g);
        }
        return thresholds;
    }

    /** The F1-maximising threshold of one label; see the class comment. */
    public static double bestF1Threshold(double[] scores, boolean[] gold) {
        int n = scores.length;
        int positives = 0;
        for (boolean b : gold) {
            positives += b ? 1 : 0;
        }
        if (positives == 0) {
            return DEFAULT_THRESHOLD;
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double bestF1 = -1;
        double best = DEFAULT_THRESHOLD;
        int tp = 0;
        for (int k = 1; k <= n; k++) {
            tp += gold[order[k - 1]] ? 1 : 0;
            double kept = scores[order[k - 1]];
            if (k < n && scores[order[k]] == kept) {
                continue; // a threshold cannot split tied scores
            }
            double f1 = 2.0 * tp / (k + positives);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = k < n ? (kept + scores[order[k]]) / 2 : kept / 2;
            }
        }
        return best;
    }
}
