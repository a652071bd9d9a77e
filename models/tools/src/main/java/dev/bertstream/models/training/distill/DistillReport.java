package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.DistillationInfo;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a distillation run did.
 *
 * @param teacherLayerIndices the teacher layers the student started from (0-based)
 * @param texts training texts
 * @param steps training steps
 * @param textsSeen texts processed by those steps (a text seen twice counts twice)
 * @param trainSeconds wall time of the training loop
 * @param curve held-out agreement with the teacher (argmax and abstain decisions) over training
 * @param gate the accuracy gate on the dev sets
 * @param written whether a bundle was written (gate passed, or forced)
 */
@Internal
public record DistillReport(
        List<Integer> teacherLayerIndices,
        int texts,
        long steps,
        long textsSeen,
        double trainSeconds,
        List<CurvePoint> curve,
        DistillationInfo.Gate gate,
        boolean written) {

    /**
     * Held-out agreement at one step.
     *
     * @param loss mean training loss since the previous point ({@code NaN} before training)
     * @param agreement per task, share of held-out texts with the teacher's decision
     */
    public record CurvePoint(long step, double loss, Map<String, Double> agreement) {

        public String line() {
            String lossText =
                    Double.isNaN(loss) ? "     -" : String.format(Locale.ROOT, "%.4f", loss);
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT, "step %6d  loss %s  agreement", step, lossText));
            agreement.forEach(
                    (task, a) -> sb.append(String.format(Locale.ROOT, "  %s %.4f", task, a)));
            return sb.toString();
        }
    }

    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Distilled %d layers (teacher layers %s) on %d texts: %d steps in %.0f s"
                                + " (%.1f texts/s)%n",
                        teacherLayerIndices.size(),
                        teacherLayerIndices,
                        texts,
                        steps,
                        trainSeconds,
                        trainSeconds > 0 ? textsSeen / trainSeconds : 0.0));
        sb.append("Held-out agreement with the teacher:\n");
        curve.forEach(p -> sb.append("  ").append(p.line()).append('\n'));
        sb.append("Accuracy gate against the teacher:\n").append(DistillationGate.summary(gate));
        return sb.toString();
    }
}
