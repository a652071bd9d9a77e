package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.PrecisionGate;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.LabelScore;
import dev.bertstream.models.inference.TaskPrediction;

import org.apache.flink.annotation.Internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Measures a bundle against the one it replaces on dev texts, for the accuracy gate ({@link
 * dev.bertstream.models.bundle.GateLimits}) of both a reduced-precision bundle against its float32
 * source and a distilled student against its teacher: label agreement (the abstain label counts as
 * a label, so a changed abstain decision is a disagreement; a multi-label head's decision is its
 * set of assigned labels) and, where the texts carry gold labels for the task, the macro-F1 of
 * both. Both bundles run through the serving path ({@link BatchPredictor}), so the gate measures
 * what would be served.
 */
@Internal
public final class PrecisionGateCheck {

    private PrecisionGateCheck() {}

    /**
     * Task {@code task} of {@code candidate} against {@code reference} on {@code examples} from
     * {@code file}; with {@code withGold} their labels are the task's gold labels (renamed by
     * {@code mapping}) and macro-F1 is compared too.
     */
    public static PrecisionGate.TaskCheck check(
            BatchPredictor reference,
            BatchPredictor candidate,
            String task,
            String file,
            List<LabeledExample> examples,
            boolean withGold,
            LabelMapping mapping) {
        BundleManifest.Task t = reference.manifest().task(task);
        if (t == null || candidate.manifest().task(task) == null) {
            throw new IllegalArgumentException("Both bundles need task '" + task + "'");
        }
        List<TaskPrediction> ref = TaskEvaluator.predictions(reference, task, examples);
        List<TaskPrediction> cand = TaskEvaluator.predictions(candidate, task, examples);
        int same = 0;
        for (int i = 0; i < examples.size(); i++) {
            same += decision(ref.get(i)).equals(decision(cand.get(i))) ? 1 : 0;
        }
        double agreement = examples.isEmpty() ? 1 : same / (double) examples.size();
        Double refF1 = null;
        Double candF1 = null;
        if (withGold && !t.multiLabel()) {
            mapping.check(task, t.labels());
            refF1 = TaskEvaluator.score(t, examples, ref, mapping).macroF1();
            candF1 = TaskEvaluator.score(t, examples, cand, mapping).macroF1();
        } else if (withGold) {
            refF1 = multiLabelF1(t, examples, ref);
            candF1 = multiLabelF1(t, examples, cand);
        }
        return new PrecisionGate.TaskCheck(task, file, examples.size(), agreement, refF1, candF1);
    }

    /** What a prediction decides: its label (or abstain label), or a multi-label head's set. */
    private static Set<String> decision(TaskPrediction p) {
        Set<String> labels = new HashSet<>();
        labels.add(p.label());
        for (LabelScore a : p.assigned()) {
            labels.add(a.label());
        }
        return labels;
    }

    private static double multiLabelF1(
            BundleManifest.Task t, List<LabeledExample> examples, List<TaskPrediction> preds) {
        List<Set<String>> gold = new java.util.ArrayList<>();
        List<Set<String>> predicted = new java.util.ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            LabeledExample e = examples.get(i);
            gold.add(
                    e.label().equals(TaskLabels.OUT_OF_SCOPE)
                            ? Set.of()
                            : new HashSet<>(e.labels()));
            Set<String> p = new HashSet<>();
            preds.get(i).assigned().forEach(a -> p.add(a.label()));
            predicted.add(p);
        }
        return MultiLabelMetrics.compute(t.labels(), gold, predicted).macroF1();
    }

    /** One line per check with the measured numbers and the limits, for the command's output. */
    public static String describe(PrecisionGate gate) {
        StringBuilder sb = new StringBuilder();
        for (PrecisionGate.TaskCheck c : gate.tasks()) {
            sb.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "  %-10s %-24s %5d texts  agreement %.2f%% (min %.2f%%)",
                            c.task(),
                            c.devFile(),
                            c.examples(),
                            100 * c.agreement(),
                            100 * gate.minAgreement()));
            if (c.referenceMacroF1() != null) {
                sb.append(
                        String.format(
                                java.util.Locale.ROOT,
                                "  macro-F1 %.4f -> %.4f (drop %.2f points, max %.2f)",
                                c.referenceMacroF1(),
                                c.macroF1(),
                                100 * c.macroF1Drop(),
                                100 * gate.maxMacroF1Drop()));
            }
            sb.append(c.passes(gate.minAgreement(), gate.maxMacroF1Drop()) ? "  ok" : "  FAILED")
                    .append('\n');
        }
        return sb.toString();
    }
}
