package dev.bertstream.models.graph;

import dev.bertstream.models.weights.WeightTensor;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DropoutTest {

    private static final int ROWS = 2000;
    private static final int COLS = 8;

    /** {@code sum(dropout(ones · v))} and its gradient with respect to {@code v}, run once. */
    private static float[][] run(long seed, Float rate) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            PlaceholderWithDefault<TFloat32> ratePh =
                    tf.placeholderWithDefault(tf.constant(0f), Shape.scalar());
            GraphVariables variables = new GraphVariables(tf);
            Operand<TFloat32> v =
                    variables.variable(
                            "v",
                            new WeightTensor(
                                    new long[] {COLS}, new float[] {1, 2, 3, 4, 5, 6, 7, 8}));
            Operand<TFloat32> x =
                    tf.math.mul(tf.ones(tf.constant(new int[] {ROWS, COLS}), TFloat32.class), v);
            Operand<TFloat32> dropped =
                    new Dropout(ratePh, seed).apply(tf, x, tf.constant(new int[] {ROWS, COLS}));
            Operand<TFloat32> sum = tf.sum(dropped, tf.constant(new int[] {0, 1}));
            Gradients grad = tf.gradients(sum, List.<Operand<?>>of(v));
            try (Session s = new Session(g)) {
                variables.assignAll(s);
                Session.Runner runner = s.runner().fetch(dropped).fetch(grad.dy(0));
                try (TFloat32 r = rate == null ? null : TFloat32.scalarOf(rate)) {
                    if (r != null) {
                        runner.feed(ratePh, r);
                    }
                    try (Result out = runner.run()) {
                        TFloat32 d = (TFloat32) out.get(0);
                        TFloat32 dv = (TFloat32) out.get(1);
                        float[] values = new float[ROWS * COLS];
                        float[] grads = new float[COLS];
                        for (int i = 0; i < ROWS; i++) {
                            for (int j = 0; j < COLS; j++) {
                                values[i * COLS + j] = d.getFloat(i, j);
                            }
                        }
                        for (int j = 0; j < COLS; j++) {
                            grads[j] = dv.getFloat(j);
                        }
                        return new float[][] {values, grads};
                    }
                }
            }
        }
    }

    @Test
    void rateZeroByDefaultLeavesValuesAndGradientsUnchanged() {
        float[][] out = run(7, null);
        for (int i = 0; i < out[0].length; i++) {
            assertThat(out[0][i]).isEqualTo((float) (i % COLS + 1));
        }
        assertThat(out[1]).containsOnly((float) ROWS);
    }

    @Test
    void dropsAboutRateAndScalesTheRestSoTheExpectationIsKept() {
        float rate = 0.3f;
        float[][] out = run(7, rate);
        int zeros = 0;
        for (int i = 0; i < out[0].length; i++) {
            float v = out[0][i];
            if (v == 0) {
                zeros++;
            } else {
                assertThat(v).isCloseTo((i % COLS + 1) / (1 - rate), within(1e-4f));
            }
        }
        assertThat(zeros / (double) out[0].length).isCloseTo(rate, within(0.03));
        // The gradient flows through the kept elements only: (kept in column j) / (1 - rate).
        for (int j = 0; j < COLS; j++) {
            int kept = 0;
            for (int i = 0; i < ROWS; i++) {
                kept += out[0][i * COLS + j] != 0 ? 1 : 0;
            }
            assertThat(out[1][j]).isCloseTo(kept / (1 - rate), within(0.5f));
        }
    }

    @Test
    void theSeedFixesTheMask() {
        assertThat(run(11, 0.5f)[0]).isEqualTo(run(11, 0.5f)[0]);
        assertThat(run(11, 0.5f)[0]).isNotEqualTo(run(12, 0.5f)[0]);
    }
}
