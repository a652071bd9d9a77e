package dev.bertstream.models.training.finetune;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * AdamW as graph ops (Loshchilov and Hutter): decoupled weight decay {@code w ← w·(1 − lr·λ)}
 * followed by TensorFlow's fused {@code ApplyAdam} kernel. The step's learning rate and
 * bias-correction powers are fed per step, so a schedule costs no graph changes.
 */
final class AdamW {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-6f;

    private final Ops tf;
    private final double weightDecay;
    private final Placeholder<TFloat32> lr;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Placeholder<TFloat32> decayFactor;

    AdamW(Ops tf, double weightDecay) {
        this.tf = tf;
        this.weightDecay = weightDecay;
        this.lr = scalar("lr");
        this.beta1Power = scalar("beta1_power");
        this.beta2Power = scalar("beta2_power");
        this.decayFactor = scalar("decay_factor");
    }

    private Placeholder<TFloat32> scalar(String name) {
        return tf.withName(name)
                .placeholder(
                        TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
    }

    /**
     * Adds the update of {@code var} by {@code grad}, with zero-initialised moments of its own.
     *
     * @param ops where to add the ops (carries the control dependencies the update must wait for)
     * @param decay whether weight decay applies (dense kernels yes; biases, LayerNorm and
     *     embeddings no)
     */
    Op apply(Ops ops, Variable<TFloat32> var, Operand<TFloat32> grad, boolean decay) {
        Operand<TFloat32> zeros = tf.zeros(tf.constant(var.shape().asArray()), TFloat32.class);
        Variable<TFloat32> m = tf.variable(zeros);
        Variable<TFloat32> v = tf.variable(zeros);
        Ops o = ops;
        if (decay && weightDecay > 0) {
            o =
                    ops.withControlDependencies(
                            List.of(ops.assign(var, ops.math.mul(var, decayFactor))));
        }
        return o.train.applyAdam(
                var,
                m,
                v,
                beta1Power,
                beta2Power,
                lr,
                o.constant(BETA1),
                o.constant(BETA2),
                o.constant(EPSILON),
                grad);
    }

    /**
     * The scalars of update number {@code step} (0-based) at learning rate {@code learningRate}.
     */
    StepTensors stepTensors(double learningRate, long step) {
        return new StepTensors(
                TFloat32.scalarOf((float) learningRate),
                TFloat32.scalarOf((float) Math.pow(BETA1, step + 1)),
                TFloat32.scalarOf((float) Math.pow(BETA2, step + 1)),
                TFloat32.scalarOf((float) (1 - learningRate * weightDecay)));
    }

    /** Fed values of one step; closes its tensors. */
    final class StepTensors implements AutoCloseable {
        private final TFloat32[] values;

        private StepTensors(TFloat32... values) {
            this.values = values;
        }

        Session.Runner feed(Session.Runner runner) {
            return runner.feed(lr, values[0])
                    .feed(beta1Power, values[1])
                    .feed(beta2Power, values[2])
                    .feed(decayFactor, values[3]);
        }

        @Override
        public void close() {
            for (TFloat32 t : values) {
                t.close();
            }
        }
    }
}
