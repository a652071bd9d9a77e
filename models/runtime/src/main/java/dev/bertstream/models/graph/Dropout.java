package dev.bertstream.models.graph;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Inverted dropout for the training graph: each element is zeroed with probability {@code rate} and
 * the rest scaled by {@code 1 / (1 - rate)}, so nothing changes when the rate is 0 (dev evaluation
 * in the same graph).
 *
 * <p>The rate is an operand (a placeholder defaulting to 0) so one graph serves training steps and
 * evaluation. Noise shapes are given by the caller from the input placeholders' shape, never from
 * the activations: then no path from a variable runs through the random ops, and the symbolic
 * gradient needs no gradient for them. Each mask is a seeded op with its own {@code seed2}, so a
 * run is repeatable for a seed.
 */
@PublicEvolving
public final class Dropout {

    private final Operand<TFloat32> rate;
    private final long seed;
    private long nextOp;

    /**
     * @param rate scalar drop probability in [0, 1)
     * @param seed graph-level seed of every mask
     */
    public Dropout(Operand<TFloat32> rate, long seed) {
        this.rate = rate;
        this.seed = seed;
    }

    /** {@code x} with dropout; {@code noiseShape} must equal the shape of {@code x}. */
    Operand<TFloat32> apply(Ops o, Operand<TFloat32> x, Operand<TInt32> noiseShape) {
        Operand<TFloat32> uniform =
                o.random.randomUniform(
                        noiseShape,
                        TFloat32.class,
                        RandomUniform.seed(seed),
                        RandomUniform.seed2(++nextOp));
        Operand<TFloat32> keep = o.dtypes.cast(o.math.greaterEqual(uniform, rate), TFloat32.class);
        Operand<TFloat32> scale = o.math.div(o.constant(1f), o.math.sub(o.constant(1f), rate));
        return o.math.mul(x, o.math.mul(keep, scale));
    }
}
