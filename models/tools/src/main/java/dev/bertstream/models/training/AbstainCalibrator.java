package dev.bertstream.models.training;

import dev.bertstream.models.inference.TopClass;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Map;

/**
 * Picks the minimum top-class probability below which a prediction becomes the abstain label (e.g.
 * {@code oos}): the threshold that maximises dev accuracy when abstaining counts as correct exactly
 * for out-of-scope examples.
 */
@Internal
public final class AbstainCalibrator {

    private AbstainCalibrator() {}

    /**
     * @param topProbability top in-scope probability per dev example
     * @param topCorrect whether the top in-scope class is the right one (false for out-of-scope
     *     examples)
     * @param outOfScope whether the example is out of scope
     */
    public static double calibrate(
            double[] topProbability, boolean[] topCorrect, boolean[] outOfScope) {
        double best = 0;
        int bestCorrect = -1;
        for (int step = 0; step <= 100; step++) {
            double t = step / 100.0;
            int correct = 0;
            for (int i = 0; i < topProbability.length; i++) {
                boolean abstain = topProbability[i] < t;
                correct += abstain ? (outOfScope[i] ? 1 : 0) : (topCorrect[i] ? 1 : 0);
            }
            if (correct > bestCorrect) {
                bestCorrect = correct;
                best = t;
            }
        }
        return best;
    }

    /**
     * Calibrates on labelled dev examples: out-of-scope ones are those whose label is not in {@code
     * index}.
     *
     * @param probabilities class probabilities per dev example, in {@code index} order
     */
    public static double calibrate(
            List<LabeledExample> dev, Map<String, Integer> index, double[][] probabilities) {
        double[] top = new double[dev.size()];
        boolean[] correct = new boolean[dev.size()];
        boolean[] oos = new boolean[dev.size()];
        for (int i = 0; i < dev.size(); i++) {
            double[] p = probabilities[i];
            int best = TopClass.of(p);
            Integer gold = index.get(dev.get(i).label());
            top[i] = p[best];
            oos[i] = gold == null;
            correct[i] = gold != null && gold == best;
        }
        return calibrate(top, correct, oos);
    }
}
