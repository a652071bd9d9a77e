package dev.bertstream.models.training.finetune;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Locale;

/**
 * What a fine-tuning produced.
 *
 * @param tasks per task, its dev scores at the kept checkpoint
 * @param bestEpoch training progress (in epochs) of the kept checkpoint
 * @param curve the training loss and dev score at every evaluation
 * @param examples training examples processed (all epochs)
 * @param trainSeconds wall-clock seconds of the training loop
 * @param totalSeconds wall-clock seconds including reading, tokenizing and writing the bundle
 */
@Internal
public record FineTuneReport(
        List<TaskResult> tasks,
        double bestEpoch,
        List<Point> curve,
        long examples,
        double trainSeconds,
        double totalSeconds) {

    /**
     * Dev scores of one task over its in-scope examples, its abstain threshold if any, and its
     * temperature calibration ({@code null} without dev).
     */
    public record TaskResult(
            String task,
            List<String> labels,
            int trainExamples,
            int devExamples,
            double devAccuracy,
            double devMacroF1,
            Double abstainThreshold,
            Calibration calibration) {}

    /**
     * The temperature fitted on dev and the dev calibration before and after it.
     *
     * @param nllBefore mean dev negative log-likelihood (multi-label: binary cross-entropy per
     *     label) before scaling
     * @param eceBefore expected calibration error over 10 bins before scaling: of the top class
     *     (single-label) or of every label's probability (multi-label)
     * @param multiLabel whether the head is sigmoid (then the ECE is per label)
     */
    public record Calibration(
            double temperature,
            double nllBefore,
            double nllAfter,
            double eceBefore,
            double eceAfter,
            boolean multiLabel) {

        /** One line: the temperature and what it did to dev NLL and ECE. */
        public String describe(String task) {
            return String.format(
                    Locale.ROOT,
                    "%s: temperature %.3f fitted on dev: NLL %.4f -> %.4f, %s %.4f -> %.4f%n",
                    task,
                    temperature,
                    nllBefore,
                    nllAfter,
                    multiLabel ? "per-label ECE" : "ECE",
                    eceBefore,
                    eceAfter);
        }
    }

    /**
     * @param step updates so far
     * @param epoch progress in epochs
     * @param trainLoss mean training loss since the previous point (NaN for the warm-started
     *     starting point, scored before any step)
     * @param devScore mean in-scope macro-F1 over tasks with a dev set (NaN without one)
     */
    public record Point(long step, double epoch, double trainLoss, double devScore) {

        /** One line: where training is, its loss and the dev score. */
        public String describe() {
            return String.format(
                    Locale.ROOT,
                    "  epoch %.2f step %d: train loss %.4f, dev macro-F1 %.4f%n",
                    epoch,
                    step,
                    trainLoss,
                    devScore);
        }
    }

    /** Human-readable summary, one line per task and one per evaluation. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        for (Point p : curve) {
            s.append(p.describe());
        }
        for (TaskResult t : tasks) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%s: %d labels, %d train / %d dev examples, dev accuracy (in scope; multi-label: exact label set) %.4f, macro-F1 %.4f%s%s%n",
                            t.task(),
                            t.labels().size(),
                            t.trainExamples(),
                            t.devExamples(),
                            t.devAccuracy(),
                            t.devMacroF1(),
                            t.abstainThreshold() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            ", abstain below %.2f -> oos",
                                            t.abstainThreshold()),
                            t.calibration() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            ", temperature %.3f (dev ECE %.4f -> %.4f)",
                                            t.calibration().temperature(),
                                            t.calibration().eceBefore(),
                                            t.calibration().eceAfter())));
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "kept the checkpoint at epoch %.2f; %d examples in %.0f s (%.1f ex/s)%n",
                        bestEpoch,
                        examples,
                        trainSeconds,
                        examples / Math.max(trainSeconds, 1e-9)));
        return s.toString();
    }
}
