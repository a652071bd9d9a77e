package dev.bertstream.models.training;

import dev.bertstream.models.inference.TopClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a linear softmax classifier on fixed features (frozen-encoder embeddings) with AdamW,
 * optional inverse-frequency class weights, and early stopping that keeps the weights of the best
 * dev epoch.
 *
 * <p>Plain Java rather than a TensorFlow graph: with the encoder frozen the problem is a few
 * hundred thousand multiply-adds per example, and a dependency-free loop is deterministic for a
 * seed.
 */
final class SoftmaxHeadTrainer {

    /** Result: kernel {@code [features, classes]} and bias, row-major, plus the training curve. */
    public record Trained(float[] kernel, float[] bias, int bestEpoch, List<EpochStats> curve) {}

    /** Loss and accuracy after one epoch. */
    public record EpochStats(int epoch, double trainLoss, double devAccuracy) {}

    private final HeadTrainingOptions options;

    public SoftmaxHeadTrainer(HeadTrainingOptions options) {
        this.options = options;
    }

    /**
     * @param x training features, one row per example
     * @param y class index per example
     * @param devX dev features, or {@code null} to train all epochs without early stopping
     * @param onEpoch progress callback
     */
    public Trained train(
            float[][] x,
            int[] y,
            int classes,
            float[][] devX,
            int[] devY,
            Consumer<EpochStats> onEpoch) {
        int n = x.length;
        int d = x[0].length;
        float[] w = new float[d * classes];
        float[] b = new float[classes];
        double[] classWeight = classWeights(y, classes);
        HeadAdam adamW = new HeadAdam(w.length);
        HeadAdam adamB = new HeadAdam(b.length);
        Random rnd = new Random(options.seed());
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        float[] bestW = w.clone();
        float[] bestB = b.clone();
        double bestDev = -1;
        int bestEpoch = 0;
        int sinceBest = 0;
        List<EpochStats> curve = new ArrayList<>();
        float[] gw = new float[w.length];
        float[] gb = new float[b.length];
        double[] p = new double[classes];
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            shuffle(order, rnd);
            double lossSum = 0;
            double weightSum = 0;
            for (int start = 0; start < n; start += options.batchSize()) {
                int end = Math.min(n, start + options.batchSize());
                java.util.Arrays.fill(gw, 0f);
                java.util.Arrays.fill(gb, 0f);
                double batchWeight = 0;
                for (int k = start; k < end; k++) {
                    int i = order[k];
                    softmax(x[i], w, b, classes, p);
                    double cw = classWeight[y[i]];
                    lossSum += -cw * Math.log(Math.max(p[y[i]], 1e-12));
                    weightSum += cw;
                    batchWeight += cw;
                    for (int c = 0; c < classes; c++) {
                        float g = (float) (cw * (p[c] - (c == y[i] ? 1 : 0)));
                        gb[c] += g;
                        for (int j = 0; j < d; j++) {
                            gw[j * classes + c] += g * x[i][j];
                        }
                    }
                }
                float scale = (float) (1.0 / batchWeight);
                adamW.step(w, gw, scale, options.learningRate(), options.weightDecay());
                adamB.step(b, gb, scale, options.learningRate(), 0);
            }
            double devAcc = devX == null ? Double.NaN : accuracy(devX, devY, w, b, classes);
            EpochStats stats = new EpochStats(epoch, lossSum / weightSum, devAcc);
            curve.add(stats);
            onEpoch.accept(stats);
            if (devX == null) {
                continue;
            }
            // Ties go to the later epoch: on a saturated dev set the head keeps sharpening instead
            // of stopping
            // at its first, barely trained epoch.
            if (devAcc >= bestDev) {
                bestDev = devAcc;
                bestEpoch = epoch;
                bestW = w.clone();
                bestB = b.clone();
                sinceBest = 0;
            } else if (++sinceBest >= options.patience()) {
                break;
            }
        }
        return devX == null
                ? new Trained(w, b, options.epochs(), curve)
                : new Trained(bestW, bestB, bestEpoch, curve);
    }

    /** Softmax probabilities of {@code x} under a trained head. */
    public static double[] probabilities(float[] x, float[] w, float[] b, int classes) {
        double[] p = new double[classes];
        softmax(x, w, b, classes, p);
        return p;
    }

    private static double accuracy(float[][] x, int[] y, float[] w, float[] b, int classes) {
        double[] p = new double[classes];
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            softmax(x[i], w, b, classes, p);
            correct += TopClass.of(p) == y[i] ? 1 : 0;
        }
        return (double) correct / x.length;
    }

    private static void softmax(float[] x, float[] w, float[] b, int classes, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double z = b[c];
            for (int j = 0; j < x.length; j++) {
                z += x[j] * w[j * classes + c];
            }
            out[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= sum;
        }
    }

    private double[] classWeights(int[] y, int classes) {
        if (!options.classWeights()) {
            double[] w = new double[classes];
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        return ClassWeights.inverseFrequency(y, classes);
    }

    static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
