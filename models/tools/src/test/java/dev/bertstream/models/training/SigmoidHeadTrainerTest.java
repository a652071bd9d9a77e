package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SigmoidHeadTrainerTest {

    /**
     * Label {@code l} applies when feature {@code l} is positive: three independent, linearly
     * separable labels, so an example may carry none, one or several. Label 2 is rare (only when
     * feature 2 is well above zero).
     */
    static float[][] x;

    static boolean[][] y;

    static {
        Random r = new Random(11);
        List<float[]> xs = new ArrayList<>();
        List<boolean[]> ys = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            float[] v = new float[6];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
            xs.add(v);
            ys.add(new boolean[] {v[0] > 0.3f, v[1] > -0.3f, v[2] > 1.2f});
        }
        x = xs.toArray(float[][]::new);
        y = ys.toArray(boolean[][]::new);
    }

    @Test
    void learnsSeparableLabelsIndependentlyIncludingSeveralPerExample() {
        List<SigmoidHeadTrainer.EpochStats> curve = new ArrayList<>();
        SigmoidHeadTrainer.Trained t =
                new SigmoidHeadTrainer(new HeadTrainingOptions(40, 2e-2, 0, 32, 10, 1, true))
                        .train(x, y, x, y, curve::add);
        assertThat(curve.get(curve.size() - 1).trainLoss())
                .isLessThan(curve.get(0).trainLoss() * 0.5);
        assertThat(t.thresholds()).hasSize(3);
        double[][] p = SigmoidHeadTrainer.probabilities(x, t.kernel(), t.bias(), 3);
        int right = 0;
        int severalRight = 0;
        int several = 0;
        for (int i = 0; i < x.length; i++) {
            boolean all = true;
            for (int l = 0; l < 3; l++) {
                all &= (p[i][l] >= t.thresholds()[l]) == y[i][l];
            }
            right += all ? 1 : 0;
            boolean isSeveral = (y[i][0] ? 1 : 0) + (y[i][1] ? 1 : 0) + (y[i][2] ? 1 : 0) > 1;
            several += isSeveral ? 1 : 0;
            severalRight += isSeveral && all ? 1 : 0;
        }
        assertThat((double) right / x.length).as("exact label sets").isGreaterThan(0.9);
        assertThat(several).isGreaterThan(50);
        assertThat((double) severalRight / several).isGreaterThan(0.85);
        assertThat(
                        curve.stream()
                                .mapToDouble(SigmoidHeadTrainer.EpochStats::devMacroF1)
                                .max()
                                .orElseThrow())
                .isGreaterThan(0.9);
    }

    @Test
    void sameSeedSameHeadAndNoDevKeepsTheLastEpoch() {
        HeadTrainingOptions o = new HeadTrainingOptions(4, 1e-2, 1e-4, 16, 5, 7, true);
        var a = new SigmoidHeadTrainer(o).train(x, y, null, null, s -> {});
        var b = new SigmoidHeadTrainer(o).train(x, y, null, null, s -> {});
        assertThat(a.kernel()).isEqualTo(b.kernel());
        assertThat(a.thresholds()).isNull();
        assertThat(a.bestEpoch()).isEqualTo(4);
        var c =
                new SigmoidHeadTrainer(new HeadTrainingOptions(4, 1e-2, 1e-4, 16, 5, 8, true))
                        .train(x, y, null, null, s -> {});
        assertThat(c.kernel()).isNotEqualTo(a.kernel());
    }
}
