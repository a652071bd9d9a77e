package dev.bertstream.models.training;

import dev.bertstream.models.inference.TopClass;

import org.apache.flink.annotation.Internal;

/**
 * Temperature scaling (Guo et al. 2017): one scalar {@code T} per head that divides its logits,
 * fitted on dev by minimising the negative log-likelihood. It changes confidences, never the
 * ranking of classes, so accuracy and macro-F1 stay as they are. Because a head is linear, dividing
 * its kernel and bias by {@code T} gives the scaled logits: the serving graph needs no change.
 *
 * <p>It works from probabilities, not logits: {@code log p} differs from the logits by a constant
 * per example (softmax) and is the logit itself through {@code log(p / (1 - p))} (sigmoid).
 *
 * <pre>{@code
 * double t = TemperatureScaling.fitSoftmax(devProbabilities, devGold);
 * float[] calibrated = TemperatureScaling.softmax(devProbabilities[0], t);
 * }</pre>
 */
@Internal
public final class TemperatureScaling {

    /** Temperatures searched, as {@code ln T}: 0.05 to 20. */
    private static final double MIN_LOG_T = Math.log(0.05);

    private static final double MAX_LOG_T = Math.log(20);

    /** Smallest probability taken into a logarithm (a float softmax underflows to 0). */
    private static final double FLOOR = 1e-30;

    /** Sigmoid probabilities are clamped this far from 0 and 1 before taking the logit. */
    private static final double SIGMOID_EPS = 1e-7;

    private TemperatureScaling() {}

    /**
     * The temperature minimising the mean NLL of {@code gold} under softmax probabilities {@code p}
     * rescaled by it; 1 without examples or when every top class is right.
     */
    public static double fitSoftmax(float[][] p, int[] gold) {
        // With no dev error the NLL falls without end as T -> 0: the fit would sharpen every
        // confidence towards 1 on no evidence (and push an abstain threshold to 1.0).
        if (p.length == 0 || noSoftmaxError(p, gold)) {
            return 1;
        }
        return minimise(t -> softmaxNll(p, gold, t));
    }

    /**
     * The temperature minimising the mean binary cross-entropy of {@code gold} under sigmoid
     * probabilities {@code p} (one column per label) rescaled by it; 1 without examples or when
     * every label's 0.5 decision is right (the unbounded case of {@link #fitSoftmax}).
     */
    public static double fitSigmoid(float[][] p, boolean[][] gold) {
        if (p.length == 0 || noSigmoidError(p, gold)) {
            return 1;
        }
        return minimise(t -> sigmoidNll(p, gold, t));
    }

    private static boolean noSoftmaxError(float[][] p, int[] gold) {
        for (int i = 0; i < p.length; i++) {
            if (TopClass.of(p[i]) != gold[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean noSigmoidError(float[][] p, boolean[][] gold) {
        for (int i = 0; i < p.length; i++) {
            for (int l = 0; l < p[i].length; l++) {
                if (p[i][l] >= 0.5 != gold[i][l]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Mean negative log-likelihood of {@code gold} under {@code softmax(log p / t)}. */
    public static double softmaxNll(float[][] p, int[] gold, double t) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double[] z = logs(p[i], t);
            sum += logSumExp(z) - z[gold[i]];
        }
        return sum / p.length;
    }

    /**
     * Mean binary cross-entropy per label of {@code gold} under the sigmoid rescaled by {@code t}.
     */
    public static double sigmoidNll(float[][] p, boolean[][] gold, double t) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < p.length; i++) {
            for (int l = 0; l < p[i].length; l++) {
                double z = logit(p[i][l]) / t;
                // -log sigmoid(z) = softplus(-z); -log(1 - sigmoid(z)) = softplus(z).
                sum += softplus(gold[i][l] ? -z : z);
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** Softmax probabilities {@code p} rescaled by temperature {@code t}. */
    public static float[] softmax(float[] p, double t) {
        double[] z = logs(p, t);
        double lse = logSumExp(z);
        float[] out = new float[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = (float) Math.exp(z[c] - lse);
        }
        return out;
    }

    /** A sigmoid probability (or threshold) rescaled by temperature {@code t}. */
    public static double sigmoid(double p, double t) {
        return 1 / (1 + Math.exp(-logit(p) / t));
    }

    /**
     * Top-label expected calibration error of softmax probabilities over 10 equal-width confidence
     * bins, as {@link ClassificationMetrics} computes it.
     */
    public static double expectedCalibrationError(float[][] p, int[] gold) {
        int bins = 10;
        double[] conf = new double[bins];
        double[] acc = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < p.length; i++) {
            int top = TopClass.of(p[i]);
            int b = Math.min(bins - 1, (int) (p[i][top] * bins));
            conf[b] += p[i][top];
            acc[b] += top == gold[i] ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(acc[b] - conf[b]) / p.length;
            }
        }
        return ece;
    }

    /**
     * Expected calibration error of sigmoid probabilities, every (example, label) pair a binary
     * prediction: per bin of 10, |mean probability - share of positives|, weighted by pair count.
     */
    public static double binaryCalibrationError(float[][] p, boolean[][] gold) {
        int bins = 10;
        double[] conf = new double[bins];
        double[] pos = new double[bins];
        long n = 0;
        for (int i = 0; i < p.length; i++) {
            for (int l = 0; l < p[i].length; l++) {
                int b = Math.min(bins - 1, (int) (p[i][l] * bins));
                conf[b] += p[i][l];
                pos[b] += gold[i][l] ? 1 : 0;
                n++;
            }
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            ece += Math.abs(pos[b] - conf[b]);
        }
        return n == 0 ? 0 : ece / n;
    }

    /** Golden-section search of a function of {@code T}, over {@code ln T} (NLL is unimodal). */
    private static double minimise(java.util.function.DoubleUnaryOperator f) {
        double a = MIN_LOG_T;
        double b = MAX_LOG_T;
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = f.applyAsDouble(Math.exp(c));
        double fd = f.applyAsDouble(Math.exp(d));
        for (int i = 0; i < 60 && b - a > 1e-4; i++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = f.applyAsDouble(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = f.applyAsDouble(Math.exp(d));
            }
        }
        double best = Math.exp((a + b) / 2);
        // T = 1 (no change) wins ties, so calibration never makes dev NLL worse.
        return f.applyAsDouble(best) < f.applyAsDouble(1.0) ? best : 1.0;
    }

    private static double[] logs(float[] p, double t) {
        double[] z = new double[p.length];
        for (int c = 0; c < p.length; c++) {
            z[c] = Math.log(Math.max(FLOOR, p[c])) / t;
        }
        return z;
    }

    private static double logSumExp(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    private static double logit(double p) {
        double q = Math.min(1 - SIGMOID_EPS, Math.max(SIGMOID_EPS, p));
        return Math.log(q / (1 - q));
    }

    private static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }
}
