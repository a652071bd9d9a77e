package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TemperatureScalingTest {

    /**
     * 1,000 three-class predictions from logits {@code scale * z} where the gold class is drawn
     * from softmax(z): at scale 1 they are calibrated, above it overconfident, below it
     * underconfident.
     */
    private static float[][] probabilities(double scale, int[] gold, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[gold.length][];
        for (int i = 0; i < gold.length; i++) {
            double[] z = {r.nextGaussian() * 2, r.nextGaussian() * 2, r.nextGaussian() * 2};
            double[] truth = softmax(z, 1);
            double u = r.nextDouble();
            gold[i] = u < truth[0] ? 0 : u < truth[0] + truth[1] ? 1 : 2;
            double[] shown = softmax(z, scale);
            p[i] = new float[] {(float) shown[0], (float) shown[1], (float) shown[2]};
        }
        return p;
    }

    private static double[] softmax(double[] z, double scale) {
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double[] e = new double[z.length];
        double s = 0;
        for (int c = 0; c < z.length; c++) {
            e[c] = Math.exp((z[c] - max) * scale);
            s += e[c];
        }
        for (int c = 0; c < z.length; c++) {
            e[c] /= s;
        }
        return e;
    }

    @Test
    void anOverconfidentModelGetsATemperatureAboveOneThatLowersNllAndEce() {
        int[] gold = new int[1000];
        float[][] p = probabilities(3, gold, 1);
        double t = TemperatureScaling.fitSoftmax(p, gold);
        // The logits are 3x too large: the fitted temperature recovers about 3.
        assertThat(t).isCloseTo(3, within(0.6));
        assertThat(TemperatureScaling.softmaxNll(p, gold, t))
                .isLessThan(TemperatureScaling.softmaxNll(p, gold, 1) - 0.1);
        float[][] scaled = new float[p.length][];
        for (int i = 0; i < p.length; i++) {
            scaled[i] = TemperatureScaling.softmax(p[i], t);
        }
        assertThat(TemperatureScaling.expectedCalibrationError(scaled, gold))
                .isLessThan(TemperatureScaling.expectedCalibrationError(p, gold) / 2);
    }

    @Test
    void anUnderconfidentModelGetsATemperatureBelowOne() {
        int[] gold = new int[1000];
        float[][] p = probabilities(0.5, gold, 2);
        double t = TemperatureScaling.fitSoftmax(p, gold);
        assertThat(t).isCloseTo(0.5, within(0.15));
        assertThat(TemperatureScaling.softmaxNll(p, gold, t))
                .isLessThan(TemperatureScaling.softmaxNll(p, gold, 1));
    }

    @Test
    void aDevSetWithoutErrorsKeepsTemperatureOneInsteadOfSharpeningWithoutEnd() {
        float[][] p = {{0.7f, 0.2f, 0.1f}, {0.1f, 0.6f, 0.3f}, {0.2f, 0.2f, 0.6f}};
        int[] gold = {0, 1, 2};
        // The NLL does keep falling towards the search's lower bound: an unguarded fit sharpens.
        assertThat(TemperatureScaling.softmaxNll(p, gold, 0.05))
                .isLessThan(TemperatureScaling.softmaxNll(p, gold, 1));
        assertThat(TemperatureScaling.fitSoftmax(p, gold)).isEqualTo(1.0);

        float[][] s = {{0.8f, 0.3f}, {0.4f, 0.9f}};
        boolean[][] labels = {{true, false}, {false, true}};
        assertThat(TemperatureScaling.sigmoidNll(s, labels, 0.05))
                .isLessThan(TemperatureScaling.sigmoidNll(s, labels, 1));
        assertThat(TemperatureScaling.fitSigmoid(s, labels)).isEqualTo(1.0);

        // One error is evidence enough: the fit runs again.
        int[] oneWrong = {0, 1, 0};
        assertThat(TemperatureScaling.fitSoftmax(p, oneWrong)).isNotEqualTo(1.0);
    }

    @Test
    void scalingKeepsTheTopClass() {
        float[] p = {0.7f, 0.2f, 0.1f};
        float[] hot = TemperatureScaling.softmax(p, 0.5);
        float[] cool = TemperatureScaling.softmax(p, 4);
        assertThat(hot[0]).isGreaterThan(0.7f);
        assertThat(cool[0]).isLessThan(0.7f).isGreaterThan(cool[1]);
        assertThat(cool[0] + cool[1] + cool[2]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void sigmoidTemperatureLowersBinaryCrossEntropyAndKeepsThresholdDecisions() {
        Random r = new Random(5);
        float[][] p = new float[500][2];
        boolean[][] gold = new boolean[500][2];
        for (int i = 0; i < p.length; i++) {
            for (int l = 0; l < 2; l++) {
                double z = r.nextGaussian() * 2;
                gold[i][l] = r.nextDouble() < 1 / (1 + Math.exp(-z));
                p[i][l] = (float) (1 / (1 + Math.exp(-4 * z))); // 4x overconfident
            }
        }
        double t = TemperatureScaling.fitSigmoid(p, gold);
        assertThat(t).isGreaterThan(2);
        assertThat(TemperatureScaling.sigmoidNll(p, gold, t))
                .isLessThan(TemperatureScaling.sigmoidNll(p, gold, 1));
        double threshold = 0.8;
        double scaledThreshold = TemperatureScaling.sigmoid(threshold, t);
        for (float[] row : p) {
            assertThat(TemperatureScaling.sigmoid(row[0], t) >= scaledThreshold)
                    .isEqualTo(row[0] >= threshold);
        }
    }

    @Test
    void calibratedPredictionsKeepATemperatureNearOne() {
        int[] gold = new int[2000];
        float[][] p = probabilities(1, gold, 3);
        assertThat(TemperatureScaling.fitSoftmax(p, gold)).isCloseTo(1, within(0.2));
    }
}
