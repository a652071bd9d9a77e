package dev.bertstream.models.training.finetune;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SigmoidCrossEntropyTest {

    /** The loss and its gradient with respect to the logits. */
    private static float[] lossAndGradient(
            float[][] logits, float[][] targets, float[] positiveWeights) {
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            var z = tf.constant(logits);
            var loss = SigmoidCrossEntropy.of(tf, z, tf.constant(targets), positiveWeights);
            var grad = tf.gradients(loss, List.of(z)).dy(0);
            try (Result r = s.runner().fetch(loss).fetch(grad).run()) {
                return new float[] {
                    ((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(0, 0)
                };
            }
        }
    }

    @Test
    void meanBinaryCrossEntropyOverExamplesAndLabels() {
        // [0, 0] vs targets [1, 0]: log 2 each; a confident right answer costs ~0.
        assertThat(
                        lossAndGradient(
                                new float[][] {{0, 0}}, new float[][] {{1, 0}}, new float[] {1, 1})[
                                0])
                .isCloseTo((float) Math.log(2), within(1e-6f));
        assertThat(
                        lossAndGradient(
                                new float[][] {{30, -30}},
                                new float[][] {{1, 0}},
                                new float[] {1, 1})[0])
                .isCloseTo(0f, within(1e-6f));
        // No overflow far on the wrong side: softplus(40) = 40.
        assertThat(
                        lossAndGradient(
                                new float[][] {{-40, 0}},
                                new float[][] {{1, 0}},
                                new float[] {1, 1})[0])
                .isCloseTo((40f + (float) Math.log(2)) / 2, within(1e-4f));
    }

    @Test
    void positiveWeightsScaleOnlyThePositives() {
        float[] weighted =
                lossAndGradient(new float[][] {{0, 0}}, new float[][] {{1, 0}}, new float[] {3, 3});
        // Positive term 3·log 2, negative term log 2, mean over 2 labels.
        assertThat(weighted[0]).isCloseTo(2 * (float) Math.log(2), within(1e-6f));
        // d/dz of 3·softplus(-z) / 2 at 0 = 3·(σ(0) - 1) / 2 = -0.75: TensorFlow has the gradient.
        assertThat(weighted[1]).isCloseTo(-0.75f, within(1e-6f));
    }
}
