package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

/**
 * The learning-rate schedule of every encoder training here (fine-tuning, distillation, masked-LM
 * pre-training): a linear warm-up from near 0 to {@code peak} over the first {@code warmupFraction}
 * of the updates, then a linear decay to 0 at the last one, as BERT was trained.
 *
 * <pre>{@code
 * double lr = new WarmupLinearDecay(5e-5, 0.1).rateAt(step, totalSteps);
 * }</pre>
 *
 * @param peak the rate reached at the end of the warm-up
 * @param warmupFraction share of all updates over which the rate rises; 0 starts at {@code peak}
 */
@Internal
public record WarmupLinearDecay(double peak, double warmupFraction) {

    /** The warm-up share distillation and pre-training use, and fine-tuning's default: 10%. */
    public static final double DEFAULT_WARMUP_FRACTION = 0.1;

    /**
     * The rate at update {@code step} (0-based, below {@code totalSteps}) of {@code totalSteps}.
     */
    public double rateAt(long step, long totalSteps) {
        long warmup = (long) Math.ceil(warmupFraction * totalSteps);
        if (step < warmup) {
            // step + 1: the first update already moves the weights.
            return peak * (step + 1) / warmup;
        }
        long decaySteps = Math.max(1, totalSteps - warmup);
        return peak * Math.max(0.0, (double) (totalSteps - step) / decaySteps);
    }
}
