package dev.bertstream.models.training.finetune;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightedCrossEntropyTest {

    private static float loss(float[][] logits, int[] y, float[] classWeights, float smoothing) {
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var loss =
                    WeightedCrossEntropy.of(
                            tf, tf.constant(logits), tf.constant(y), classWeights, smoothing);
            try (Result r = s.runner().fetch(loss).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        }
    }

    @Test
    void plainCrossEntropyOfAConfidentRightAnswerIsNearZero() {
        assertThat(loss(new float[][] {{10, -10}}, new int[] {0}, new float[] {1, 1}, 0))
                .isCloseTo(0f, within(1e-6f));
        assertThat(loss(new float[][] {{0, 0}}, new int[] {1}, new float[] {1, 1}, 0))
                .isCloseTo((float) Math.log(2), within(1e-6f));
    }

    @Test
    void labelSmoothingChargesOverconfidence() {
        // Target [0.9, 0.1]: -0.9·log p0 - 0.1·log p1 with log p1 ≈ -20.
        assertThat(loss(new float[][] {{10, -10}}, new int[] {0}, new float[] {1, 1}, 0.2f))
                .isCloseTo(2f, within(1e-3f));
    }

    @Test
    void classWeightsGiveTheWeightedMean() {
        float wrong = loss(new float[][] {{0, 5}}, new int[] {0}, new float[] {1, 1}, 0);
        float right = loss(new float[][] {{5, 0}}, new int[] {0}, new float[] {1, 1}, 0);
        // Examples of class 1 weigh 3: the mean leans towards the example labelled 1.
        float mixed = loss(new float[][] {{5, 0}, {5, 0}}, new int[] {0, 1}, new float[] {1, 3}, 0);
        assertThat(mixed).isCloseTo((1 * right + 3 * wrong) / 4, within(1e-5f));
    }
}
