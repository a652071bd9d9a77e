package dev.bertstream.models.training.finetune;

import org.apache.flink.annotation.Internal;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * AdamW as graph ops (Loshchilov and Hutter): decoupled weight decay {@code w ← w·(1 − lr·λ)}
 * followed by TensorFlow's fused {@code ApplyAdam} kernel.
 *
 * <p>Each variable has one set of moments and its own update count, however many update ops (one
 * per task in multi-task fine-tuning) apply to it: the shared encoder's moments see every task's
 * gradients, and a head updated on one batch in three is bias-corrected for its own count, not the
 * global step. The step's learning rate is fed, so a schedule costs no graph changes.
 */
@Internal
public final class AdamW {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-6f;

    private final Ops tf;
    private final double weightDecay;
    private final Placeholder<TFloat32> lr;
    private final Placeholder<TFloat32> decayFactor;
    private final Map<String, Slots> slots = new HashMap<>();

    /** Adds the optimiser's fed scalars to {@code tf} (use a sub-scope). */
    public AdamW(Ops tf, double weightDecay) {
        this.tf = tf;
        this.weightDecay = weightDecay;
        this.lr = scalar("lr");
        this.decayFactor = scalar("decay_factor");
    }

    private Placeholder<TFloat32> scalar(String name) {
        return tf.withName(name)
                .placeholder(
                        TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
    }

    /** A variable's first and second moments and how many updates it has had. */
    private record Slots(Variable<TFloat32> m, Variable<TFloat32> v, Variable<TFloat32> count) {}

    private Slots slotsOf(String name, Variable<TFloat32> var) {
        return slots.computeIfAbsent(
                name,
                n -> {
                    Operand<TFloat32> zeros =
                            tf.zeros(tf.constant(var.shape().asArray()), TFloat32.class);
                    return new Slots(
                            tf.variable(zeros), tf.variable(zeros), tf.variable(tf.constant(0f)));
                });
    }

    /**
     * Adds an update of {@code var} (named {@code name}) by {@code grad}. Updates of the same name
     * share the variable's moments and update count.
     *
     * @param ops where to add the ops (carries the control dependencies the update must wait for)
     * @param decay whether weight decay applies (dense kernels yes; biases, LayerNorm and
     *     embeddings no)
     */
    Op apply(Ops ops, String name, Variable<TFloat32> var, Operand<TFloat32> grad, boolean decay) {
        Slots s = slotsOf(name, var);
        Ops o = ops;
        if (decay && weightDecay > 0) {
            o =
                    ops.withControlDependencies(
                            List.of(ops.assign(var, ops.math.mul(var, decayFactor))));
        }
        // This update's number for this variable (1-based): its bias correction.
        Operand<TFloat32> count = o.assignAdd(s.count(), o.constant(1f));
        return o.train.applyAdam(
                var,
                s.m(),
                s.v(),
                o.math.pow(o.constant(BETA1), count),
                o.math.pow(o.constant(BETA2), count),
                lr,
                o.constant(BETA1),
                o.constant(BETA2),
                o.constant(EPSILON),
                grad);
    }

    /**
     * Adds one update op that minimises {@code loss} over the named variables: symbolic gradients,
     * clipped to {@code maxNorm} by global norm, applied with AdamW (weight decay on dense kernels,
     * names ending {@code .kernel}, only).
     */
    public Op minimize(
            Ops t,
            Operand<TFloat32> loss,
            List<String> names,
            Function<String, Variable<TFloat32>> variables,
            double maxNorm) {
        List<Operand<?>> xs = new ArrayList<>();
        names.forEach(n -> xs.add(variables.apply(n)));
        Gradients grads = t.gradients(loss, xs);
        List<Operand<TFloat32>> g = new ArrayList<>();
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Operand<TFloat32> gi = grads.dy(i);
            g.add(gi);
            squares.add(
                    t.sum(t.math.square(gi), t.range(t.constant(0), t.rank(gi), t.constant(1))));
        }
        Operand<TFloat32> norm = t.math.sqrt(t.math.addN(squares));
        Operand<TFloat32> clip = t.constant((float) maxNorm);
        Operand<TFloat32> scale = t.math.div(clip, t.math.maximum(norm, clip));
        // Every update waits for the norm, which waits for every gradient: no weight changes while
        // a gradient still reads it.
        Ops afterGrads = t.withControlDependencies(List.of(norm));
        List<Op> applied = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            applied.add(
                    apply(
                            afterGrads,
                            name,
                            variables.apply(name),
                            afterGrads.math.mul(g.get(i), scale),
                            name.endsWith(".kernel")));
        }
        return t.withControlDependencies(applied).withName("update").noOp();
    }

    /** The fed scalars of a step at learning rate {@code learningRate}. */
    public StepTensors stepTensors(double learningRate) {
        return new StepTensors(
                TFloat32.scalarOf((float) learningRate),
                TFloat32.scalarOf((float) (1 - learningRate * weightDecay)));
    }

    /** Fed values of one step; closes its tensors. */
    public final class StepTensors implements AutoCloseable {
        private final TFloat32[] values;

        private StepTensors(TFloat32... values) {
            this.values = values;
        }

        public Session.Runner feed(Session.Runner runner) {
            return runner.feed(lr, values[0]).feed(decayFactor, values[1]);
        }

        @Override
        public void close() {
            for (TFloat32 t : values) {
                t.close();
            }
        }
    }
}
