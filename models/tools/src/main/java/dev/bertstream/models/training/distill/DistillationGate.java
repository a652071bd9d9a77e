package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.GateLimits;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.PrecisionGate;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.training.LabelMapping;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.PrecisionGateCheck;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy gate of a smaller model against the one it replaces, the same gate as int8
 * quantisation's ({@link GateLimits#DEFAULT}, measured by {@link PrecisionGateCheck}): on each
 * labeled dev set, the student's served decision — label or abstain, after the bundle's thresholds
 * — must equal the teacher's on at least 99.5% of the texts, and its macro-F1 against the gold
 * labels may be at most half a point below the teacher's. Both bundles run through the serving path
 * ({@link BatchPredictor}), so the gate measures what would be served.
 */
@Internal
public final class DistillationGate {

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
        GateLimits limits = GateLimits.DEFAULT;
        boolean passed = results.stream().allMatch(r -> passes(limits, r));
        return new DistillationInfo.Gate(
                passed, limits.minAgreement(), limits.maxMacroF1Drop(), results);
    }

    private static boolean passes(GateLimits limits, DistillationInfo.GateTask r) {
        return limits.passes(r.agreement(), r.teacherMacroF1() - r.studentMacroF1());
    }

    private static DistillationInfo.GateTask measure(
            BatchPredictor teacher, BatchPredictor student, DevSet dev) {
        if (teacher.manifest().task(dev.task()) == null
                || student.manifest().task(dev.task()) == null) {
            throw new IllegalArgumentException(
                    "--dev names task '"
                            + dev.task()
                            + "', which the teacher does not have; it has "
                            + teacher.manifest().tasks().stream()
                                    .map(BundleManifest.Task::name)
                                    .toList());
        }
        PrecisionGate.TaskCheck c =
                PrecisionGateCheck.check(
                        teacher,
                        student,
                        dev.task(),
                        dev.file().toString(),
                        LabeledDatasetReader.read(dev.file()),
                        true,
                        LabelMapping.IDENTITY);
        return new DistillationInfo.GateTask(
                c.task(),
                c.devFile(),
                c.examples(),
                c.agreement(),
                c.referenceMacroF1(),
                c.macroF1());
    }

    /** One line per task and the verdict, for the console. */
    public static String summary(DistillationInfo.Gate gate) {
        StringBuilder sb = new StringBuilder();
        for (DistillationInfo.GateTask r : gate.tasks()) {
            boolean ok = passes(new GateLimits(gate.minAgreement(), gate.maxMacroF1Drop()), r);
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
