package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The limits of the accuracy gate a bundle passes against the bundle it replaces, the same for an
 * int8 bundle against its float32 source ({@link PrecisionGate}) and a distilled student against
 * its teacher ({@link DistillationInfo.Gate}): on every dev set, the share of texts with the
 * reference's decision (abstain included) and the macro-F1 lost against the reference's.
 *
 * <pre>{@code
 * boolean ok = GateLimits.DEFAULT.passes(agreement, referenceMacroF1 - macroF1);
 * }</pre>
 *
 * @param minAgreement the least label agreement allowed, a fraction (0.995)
 * @param maxMacroF1Drop the largest macro-F1 drop allowed, a fraction (0.005 = half a point)
 */
@PublicEvolving
public record GateLimits(double minAgreement, double maxMacroF1Drop) {

    /** The limits every gate uses: 99.5% agreement, half a point of macro-F1. */
    public static final GateLimits DEFAULT = new GateLimits(0.995, 0.005);

    /** Whether one dev set's measurement is within both limits. */
    public boolean passes(double agreement, double macroF1Drop) {
        // A tiny epsilon so a drop of exactly the limit, rounded in float, still passes.
        return agreement >= minAgreement && macroF1Drop <= maxMacroF1Drop + 1e-12;
    }
}
