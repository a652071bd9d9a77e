package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.LabelScore;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;
import dev.bertstream.models.training.ClassificationMetrics;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.TaskEvaluator;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The accuracy gate of a smaller model against the one it replaces (the same gate as int8
 * quantisation's): on each labeled dev set, the student's served decision — label or abstain, after
 * the bundle's thresholds — must equal the teacher's on at least {@link #MIN_AGREEMENT} of the
 * texts, and its macro-F1 against the gold labels may be at most {@link #MAX_MACRO_F1_DROP} below
 * the teacher's. Both bundles run through the serving path ({@link BatchPredictor}), so the gate
 * measures what would be served.
 */
@Internal
public final class DistillationGate {

    /** Required share of texts with the teacher's decision. */
    public static final double MIN_AGREEMENT = 0.995;

    /** Allowed macro-F1 loss: half a point. */
    public static final double MAX_MACRO_F1_DROP = 0.005;

    private static final int CHUNK = 1024;

    /** A task and its labeled dev file ({@code text<TAB>label}). */
    public record DevSet(String task, Path file) {

        /** Parses {@code TASK=FILE}. */
        public static DevSet parse(String spec) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--dev expects TASK=FILE, got '" + spec + "'");
            }
            return new DevSet(spec.substring(0, eq), Path.of(spec.substring(eq + 1)));
        }
    }

    private DistillationGate() {}

    /** Measures {@code student} against {@code teacher} on every dev set. */
    public static DistillationInfo.Gate evaluate(Path teacher, Path student, List<DevSet> devs) {
        try (ModelBundle t = ModelBundle.load(teacher, SessionSettings.defaults());
                ModelBundle s = ModelBundle.load(student, SessionSettings.defaults());
                BatchPredictor tp = BatchPredictor.builder(t).build();
                BatchPredictor sp = BatchPredictor.builder(s).build()) {
            List<DistillationInfo.GateTask> results = new ArrayList<>();
            for (DevSet dev : devs) {
                results.add(measure(tp, sp, dev));
            }
            return gate(results);
        }
    }

    /** The verdict on these measurements. */
    static DistillationInfo.Gate gate(List<DistillationInfo.GateTask> results) {
        boolean passed =
                results.stream()
                        .allMatch(
                                r ->
                                        r.agreement() >= MIN_AGREEMENT
                                                && r.teacherMacroF1() - r.studentMacroF1()
                                                        <= MAX_MACRO_F1_DROP + 1e-12);
        return new DistillationInfo.Gate(passed, MIN_AGREEMENT, MAX_MACRO_F1_DROP, results);
    }

    private static DistillationInfo.GateTask measure(
            BatchPredictor teacher, BatchPredictor student, DevSet dev) {
        BundleManifest.Task task = teacher.manifest().task(dev.task());
        if (task == null || student.manifest().task(dev.task()) == null) {
            throw new IllegalArgumentException(
                    "--dev names task '"
                            + dev.task()
                            + "', which the teacher does not have; it has "
                            + teacher.manifest().tasks().stream()
                                    .map(BundleManifest.Task::name)
                                    .toList());
        }
        List<LabeledExample> examples = LabeledDatasetReader.read(dev.file());
        List<String> gold = new ArrayList<>();
        List<String> teacherDecisions = new ArrayList<>();
        List<String> studentDecisions = new ArrayList<>();
        double[] teacherConfidence = new double[examples.size()];
        double[] studentConfidence = new double[examples.size()];
        for (int start = 0; start < examples.size(); start += CHUNK) {
            List<LabeledExample> part =
                    examples.subList(start, Math.min(examples.size(), start + CHUNK));
            List<String> texts = part.stream().map(LabeledExample::text).toList();
            List<Prediction> tp = teacher.predict(texts).predictions();
            List<Prediction> sp = student.predict(texts).predictions();
            for (int i = 0; i < part.size(); i++) {
                gold.add(part.get(i).label());
                TaskPrediction a = tp.get(i).task(dev.task());
                TaskPrediction b = sp.get(i).task(dev.task());
                teacherDecisions.add(decision(a, task));
                studentDecisions.add(decision(b, task));
                teacherConfidence[start + i] = a.score();
                studentConfidence[start + i] = b.score();
            }
        }
        int agree = 0;
        for (int i = 0; i < gold.size(); i++) {
            agree += teacherDecisions.get(i).equals(studentDecisions.get(i)) ? 1 : 0;
        }
        double teacherF1;
        double studentF1;
        if (task.multiLabel()) {
            teacherF1 = TaskEvaluator.evaluateMultiLabel(teacher, dev.task(), examples).macroF1();
            studentF1 = TaskEvaluator.evaluateMultiLabel(student, dev.task(), examples).macroF1();
        } else {
            List<String> order = new ArrayList<>(task.labels());
            if (task.abstainLabel() != null) {
                order.add(task.abstainLabel());
            }
            teacherF1 =
                    ClassificationMetrics.compute(order, gold, teacherDecisions, teacherConfidence)
                            .macroF1();
            studentF1 =
                    ClassificationMetrics.compute(order, gold, studentDecisions, studentConfidence)
                            .macroF1();
        }
        return new DistillationInfo.GateTask(
                dev.task(),
                dev.file().toString(),
                examples.size(),
                examples.isEmpty() ? 1.0 : (double) agree / examples.size(),
                teacherF1,
                studentF1);
    }

    /**
     * The served decision: the label (abstain included), or the sorted set a sigmoid head assigns.
     */
    private static String decision(TaskPrediction p, BundleManifest.Task task) {
        if (!task.multiLabel()) {
            return p.label();
        }
        return p.assigned().stream()
                .map(LabelScore::label)
                .sorted()
                .collect(Collectors.joining(","));
    }

    /** One line per task and the verdict, for the console. */
    public static String summary(DistillationInfo.Gate gate) {
        StringBuilder sb = new StringBuilder();
        for (DistillationInfo.GateTask r : gate.tasks()) {
            boolean ok =
                    r.agreement() >= gate.minAgreement()
                            && r.teacherMacroF1() - r.studentMacroF1()
                                    <= gate.maxMacroF1Drop() + 1e-12;
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %-10s %-30s %6d texts  agreement %.4f (need %.4f)  macro-F1 teacher"
                                    + " %.4f student %.4f (drop %+.2f points, max %.2f)  %s%n",
                            r.task(),
                            r.dev(),
                            r.examples(),
                            r.agreement(),
                            gate.minAgreement(),
                            r.teacherMacroF1(),
                            r.studentMacroF1(),
                            100 * (r.teacherMacroF1() - r.studentMacroF1()),
                            100 * gate.maxMacroF1Drop(),
                            ok ? "ok" : "FAIL"));
        }
        sb.append(gate.passed() ? "Gate passed" : "Gate FAILED");
        return sb.toString();
    }
}
