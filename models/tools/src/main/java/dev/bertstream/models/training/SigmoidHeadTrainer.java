package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Trains a linear multi-label head on fixed features (frozen-encoder embeddings): one sigmoid per
 * label, binary cross-entropy, AdamW, and early stopping that keeps the weights of the best dev
 * epoch, judged by dev macro-F1 at per-label thresholds calibrated on dev ({@link
 * LabelThresholdCalibrator}).
 *
 * <p>With class weights on, a label's positive examples weigh {@code sqrt(negatives / positives)}:
 * rare labels (GoEmotions' grief: 77 of 43k) then still move their weights, while the square root
 * keeps them from swamping the loss; the calibrated thresholds absorb the shift this gives the
 * scores.
 */
@Internal
public final class SigmoidHeadTrainer {

    /**
     * Result: kernel {@code [features, labels]} and bias, row-major, the thresholds calibrated on
     * dev for the kept weights ({@code null} without dev), plus the training curve.
     */
    public record Trained(
            float[] kernel,
            float[] bias,
            double[] thresholds,
            int bestEpoch,
            List<EpochStats> curve) {}

    /** Loss after one epoch and dev macro-F1 at thresholds calibrated on dev. */
    public record EpochStats(int epoch, double trainLoss, double devMacroF1) {}

    private final HeadTrainingOptions options;

    public SigmoidHeadTrainer(HeadTrainingOptions options) {
        this.options = options;
    }

    /**
     * @param x training features, one row per example
     * @param y whether each training example carries each label
     * @param devX dev features, or {@code null} to train all epochs without early stopping
     * @param devY dev label sets as {@code y}
     * @param onEpoch progress callback
     */
    public Trained train(
            float[][] x,
            boolean[][] y,
            float[][] devX,
            boolean[][] devY,
            Consumer<EpochStats> onEpoch) {
        int n = x.length;
        int d = x[0].length;
        int labels = y[0].length;
        float[] w = new float[d * labels];
        float[] b = new float[labels];
        double[] positiveWeight = positiveWeights(y, labels);
        HeadAdam adamW = new HeadAdam(w.length);
        HeadAdam adamB = new HeadAdam(b.length);
        Random rnd = new Random(options.seed());
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        float[] bestW = w.clone();
        float[] bestB = b.clone();
        double[] bestThresholds = null;
        double bestDev = -1;
        int bestEpoch = 0;
        int sinceBest = 0;
        List<EpochStats> curve = new ArrayList<>();
        float[] gw = new float[w.length];
        float[] gb = new float[b.length];
        double[] p = new double[labels];
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            SoftmaxHeadTrainer.shuffle(order, rnd);
            double lossSum = 0;
            for (int start = 0; start < n; start += options.batchSize()) {
                int end = Math.min(n, start + options.batchSize());
                Arrays.fill(gw, 0f);
                Arrays.fill(gb, 0f);
                for (int k = start; k < end; k++) {
                    int i = order[k];
                    sigmoid(x[i], w, b, labels, p);
                    for (int l = 0; l < labels; l++) {
                        double g;
                        if (y[i][l]) {
                            lossSum += -positiveWeight[l] * Math.log(Math.max(p[l], 1e-12));
                            g = positiveWeight[l] * (p[l] - 1);
                        } else {
                            lossSum += -Math.log(Math.max(1 - p[l], 1e-12));
                            g = p[l];
                        }
                        gb[l] += (float) g;
                        p[l] = g; // reuse as the logit gradient for the kernel pass below
                    }
                    float[] xi = x[i];
                    for (int j = 0; j < d; j++) {
                        float xj = xi[j];
                        int row = j * labels;
                        for (int l = 0; l < labels; l++) {
                            gw[row + l] += (float) (p[l] * xj);
                        }
                    }
                }
                float scale = 1f / (end - start);
                adamW.step(w, gw, scale, options.learningRate(), options.weightDecay());
                adamB.step(b, gb, scale, options.learningRate(), 0);
            }
            double devF1 = Double.NaN;
            double[] thresholds = null;
            if (devX != null) {
                double[][] devP = probabilities(devX, w, b, labels);
                thresholds = LabelThresholdCalibrator.calibrate(devP, devY);
                devF1 = macroF1(devP, devY, thresholds);
            }
            EpochStats stats = new EpochStats(epoch, lossSum / ((double) n * labels), devF1);
            curve.add(stats);
            onEpoch.accept(stats);
            if (devX == null) {
                continue;
            }
            // Ties go to the later epoch, as in SoftmaxHeadTrainer.
            if (devF1 >= bestDev) {
                bestDev = devF1;
                bestEpoch = epoch;
                bestW = w.clone();
                bestB = b.clone();
                bestThresholds = thresholds;
                sinceBest = 0;
            } else if (++sinceBest >= options.patience()) {
                break;
            }
        }
        return devX == null
                ? new Trained(w, b, null, options.epochs(), curve)
                : new Trained(bestW, bestB, bestThresholds, bestEpoch, curve);
    }

    /** Sigmoid scores of every row of {@code x} under a trained head. */
    public static double[][] probabilities(float[][] x, float[] w, float[] b, int labels) {
        double[][] out = new double[x.length][labels];
        for (int i = 0; i < x.length; i++) {
            sigmoid(x[i], w, b, labels, out[i]);
        }
        return out;
    }

    /** Macro-F1 over the labels with dev support, at the given thresholds. */
    static double macroF1(double[][] p, boolean[][] gold, double[] thresholds) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < thresholds.length; l++) {
            names.add(Integer.toString(l));
        }
        List<Set<String>> g = new ArrayList<>();
        List<Set<String>> pr = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            Set<String> gi = new java.util.HashSet<>();
            Set<String> pi = new java.util.HashSet<>();
            for (int l = 0; l < thresholds.length; l++) {
                if (gold[i][l]) {
                    gi.add(names.get(l));
                }
                if (p[i][l] >= thresholds[l]) {
                    pi.add(names.get(l));
                }
            }
            g.add(gi);
            pr.add(pi);
        }
        return MultiLabelMetrics.compute(names, g, pr).macroF1();
    }

    private static void sigmoid(float[] x, float[] w, float[] b, int labels, double[] out) {
        for (int l = 0; l < labels; l++) {
            out[l] = b[l];
        }
        for (int j = 0; j < x.length; j++) {
            double xj = x[j];
            int row = j * labels;
            for (int l = 0; l < labels; l++) {
                out[l] += xj * w[row + l];
            }
        }
        for (int l = 0; l < labels; l++) {
            out[l] = 1 / (1 + Math.exp(-out[l]));
        }
    }

    private double[] positiveWeights(boolean[][] y, int labels) {
        double[] w = new double[labels];
        Arrays.fill(w, 1.0);
        if (!options.classWeights()) {
            return w;
        }
        for (int l = 0; l < labels; l++) {
            int positives = 0;
            for (boolean[] row : y) {
                positives += row[l] ? 1 : 0;
            }
            if (positives > 0 && positives < y.length) {
                w[l] = Math.sqrt((double) (y.length - positives) / positives);
            }
        }
        return w;
    }
}
