package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SoftmaxHeadTrainerTest {

    /** Three Gaussian blobs in 8 dimensions, 10:3:1 imbalanced. */
    static float[][] x;

    static int[] y;

    static {
        Random r = new Random(5);
        int[] counts = {500, 150, 50};
        List<float[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < counts[c]; i++) {
                float[] v = new float[8];
                for (int j = 0; j < 8; j++) {
                    v[j] = (float) (r.nextGaussian() + (j == c ? 2.5 : 0));
                }
                xs.add(v);
                ys.add(c);
            }
        }
        x = xs.toArray(float[][]::new);
        y = ys.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void lossFallsAndTheMinorityClassIsLearned() {
        List<SoftmaxHeadTrainer.EpochStats> curve = new ArrayList<>();
        SoftmaxHeadTrainer.Trained t =
                new SoftmaxHeadTrainer(new HeadTrainingOptions(20, 1e-2, 0, 32, 5, 1, true))
                        .train(x, y, 3, x, y, curve::add);
        assertThat(curve.get(curve.size() - 1).trainLoss())
                .isLessThan(curve.get(0).trainLoss() * 0.7);
        int minorityRight = 0;
        for (int i = 0; i < x.length; i++) {
            double[] p = SoftmaxHeadTrainer.probabilities(x[i], t.kernel(), t.bias(), 3);
            if (y[i] == 2 && p[2] > p[0] && p[2] > p[1]) {
                minorityRight++;
            }
        }
        assertThat(minorityRight).isGreaterThan(40);
    }

    @Test
    void sameSeedSameHead() {
        HeadTrainingOptions o = new HeadTrainingOptions(5, 1e-2, 1e-4, 16, 5, 7, true);
        var a = new SoftmaxHeadTrainer(o).train(x, y, 3, null, null, s -> {});
        var b = new SoftmaxHeadTrainer(o).train(x, y, 3, null, null, s -> {});
        assertThat(a.kernel()).isEqualTo(b.kernel());
        var c =
                new SoftmaxHeadTrainer(new HeadTrainingOptions(5, 1e-2, 1e-4, 16, 5, 8, true))
                        .train(x, y, 3, null, null, s -> {});
        assertThat(c.kernel()).isNotEqualTo(a.kernel());
    }

    @Test
    void abstainThresholdSeparatesConfidentFromOutOfScope() {
        double[] top = {0.95, 0.9, 0.85, 0.3, 0.25, 0.2};
        boolean[] correct = {true, true, true, false, false, false};
        boolean[] oos = {false, false, false, true, true, true};
        double t = AbstainCalibrator.calibrate(top, correct, oos);
        assertThat(t).isGreaterThan(0.3).isLessThanOrEqualTo(0.85);
    }
}
