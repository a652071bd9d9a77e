package dev.bertstream.models.training.finetune;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Multi-task fine-tuning has one update op per task, and they share the encoder's variables: the
 * optimiser must keep one set of moments per variable and bias-correct each variable by its own
 * update count. Checked against a plain Java AdamW.
 */
class AdamWTest {

    private static final double LR = 0.01;
    private static final double DECAY = 0.1;

    @Test
    void sharedVariableHasOneSetOfMomentsAndEachVariableItsOwnUpdateCount() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            AdamW adamW = new AdamW(tf.withSubScope("adamw"), DECAY);
            Variable<TFloat32> shared = tf.variable(tf.constant(new float[] {1f, -2f}));
            Variable<TFloat32> head = tf.variable(tf.constant(new float[] {0.5f}));
            Placeholder<TFloat32> g = tf.placeholder(TFloat32.class);
            Placeholder<TFloat32> gHead = tf.placeholder(TFloat32.class);
            // Task A updates the shared variable and its head; task B only the shared variable.
            Op taskA =
                    tf.withControlDependencies(
                                    List.of(
                                            adamW.apply(tf, "shared", shared, g, true),
                                            adamW.apply(tf, "head", head, gHead, false)))
                            .noOp();
            Op taskB = adamW.apply(tf, "shared", shared, g, true);

            Reference refShared = new Reference(new double[] {1, -2}, true);
            Reference refHead = new Reference(new double[] {0.5}, false);
            String order = "ABBABBBA";
            try (Session session = new Session(graph)) {
                for (int i = 0; i < order.length(); i++) {
                    float[] grad = {(float) Math.sin(i + 1), (float) Math.cos(3 * i)};
                    float[] gradHead = {0.3f * (i + 1)};
                    boolean a = order.charAt(i) == 'A';
                    try (TFloat32 gT = TFloat32.vectorOf(grad);
                            TFloat32 ghT = TFloat32.vectorOf(gradHead);
                            AdamW.StepTensors hyper = adamW.stepTensors(LR)) {
                        Session.Runner run = hyper.feed(session.runner()).feed(g, gT);
                        if (a) {
                            run.feed(gHead, ghT).addTarget(taskA);
                        } else {
                            run.addTarget(taskB);
                        }
                        run.run().close();
                    }
                    refShared.step(grad);
                    if (a) {
                        refHead.step(gradHead);
                    }
                }
                assertMatches(session, shared, refShared);
                assertMatches(session, head, refHead);
            }
        }
    }

    private static void assertMatches(Session session, Variable<TFloat32> var, Reference ref) {
        try (TFloat32 t = (TFloat32) session.runner().fetch(var).run().get(0)) {
            for (int i = 0; i < ref.w.length; i++) {
                assertThat((double) t.getFloat(i)).isCloseTo(ref.w[i], within(1e-5));
            }
        }
    }

    /** AdamW of one variable, as TensorFlow's ApplyAdam computes it, in double precision. */
    private static final class Reference {
        final double[] w;
        final double[] m;
        final double[] v;
        final boolean decay;
        int count;

        Reference(double[] w, boolean decay) {
            this.w = w;
            this.m = new double[w.length];
            this.v = new double[w.length];
            this.decay = decay;
        }

        void step(float[] g) {
            count++;
            double b1 = AdamW.BETA1;
            double b2 = AdamW.BETA2;
            double lrT = LR * Math.sqrt(1 - Math.pow(b2, count)) / (1 - Math.pow(b1, count));
            for (int i = 0; i < w.length; i++) {
                if (decay) {
                    w[i] *= 1 - LR * DECAY;
                }
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] -= lrT * m[i] / (Math.sqrt(v[i]) + AdamW.EPSILON);
            }
        }
    }
}
