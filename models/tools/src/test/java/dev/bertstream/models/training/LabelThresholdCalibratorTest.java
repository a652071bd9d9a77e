package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LabelThresholdCalibratorTest {

    @Test
    void eachLabelGetsTheThresholdThatMaximisesItsOwnF1() {
        // Label 0: positives score 0.9, 0.8, 0.35; negatives 0.6, 0.3, 0.1.
        //   cut after 0.8 -> P 1, R 2/3, F1 0.8; after 0.6 -> 2/3, 2/3: 0.667;
        //   after 0.35 -> 3/4, 1: 0.857 (best); after 0.3 -> 0.75 ... so threshold (0.35+0.3)/2.
        // Label 1: one positive at 0.2, negatives 0.15 and below, a negative at 0.7.
        //   cut after 0.7 -> F1 0; after 0.2 -> P 1/2, R 1: 0.667 (best) -> (0.2+0.15)/2.
        double[][] scores = {
            {0.9, 0.7}, {0.8, 0.2}, {0.35, 0.15}, {0.6, 0.1}, {0.3, 0.05}, {0.1, 0.01}
        };
        boolean[][] gold = {
            {true, false},
            {true, true},
            {true, false},
            {false, false},
            {false, false},
            {false, false}
        };
        double[] t = LabelThresholdCalibrator.calibrate(scores, gold);
        assertThat(t[0]).isCloseTo(0.325, within(1e-9));
        assertThat(t[1]).isCloseTo(0.175, within(1e-9));
    }

    @Test
    void aLabelWithoutDevPositivesKeepsTheDefault() {
        double[] t =
                LabelThresholdCalibrator.calibrate(
                        new double[][] {{0.9}, {0.1}}, new boolean[][] {{false}, {false}});
        assertThat(t[0]).isEqualTo(LabelThresholdCalibrator.DEFAULT_THRESHOLD);
    }

    @Test
    void tiedScoresAreNeverSplitAndEveryPositiveCanBeKept() {
        // All positives tie with a negative at 0.4: the only cuts are above or below the tie.
        double t =
                LabelThresholdCalibrator.bestF1Threshold(
                        new double[] {0.4, 0.4, 0.4}, new boolean[] {true, true, false});
        assertThat(t).isLessThanOrEqualTo(0.4);
    }
}
