package dev.bertstream.app.bench;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.Precision;

import java.util.List;
import java.util.Locale;

/**
 * The final line of {@code bench model}: our engine against ONNX Runtime, float32 to float32 and
 * our fastest accuracy-safe row to ONNX Runtime's int8 model.
 */
final class BenchRatios {

    private BenchRatios() {}

    /** What a bundle's bundle.json says about its accuracy gate; worst first. */
    enum Gate {
        FAILED("failed"),
        NOT_GATED("not gated"),
        PASSED("passed"),
        /**
         * A float32 bundle that is not a student: the reference itself, so it counts as passing.
         */
        FLOAT32("float32");

        private final String label;

        Gate(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        /** Whether a row on such a bundle may be called ours-best. */
        boolean countsAsPassing() {
            return this == PASSED || this == FLOAT32;
        }

        /**
         * The gate of {@code m}: a reduced-precision bundle by its {@code precision_gate}, a
         * student by its {@code distillation.gate}; both must pass when both apply.
         */
        static Gate of(BundleManifest m) {
            Gate g = FLOAT32;
            if (m.precisionKind() != Precision.FLOAT32) {
                g = m.precisionGate() == null ? NOT_GATED : passed(m.precisionGate().passed());
            }
            if (m.distillation() != null) {
                Gate d =
                        m.distillation().gate() == null
                                ? NOT_GATED
                                : passed(m.distillation().gate().passed());
                g = d.ordinal() < g.ordinal() ? d : g;
            }
            return g;
        }

        private static Gate passed(boolean passed) {
            return passed ? PASSED : FAILED;
        }
    }

    /** One of our rows: its name, best sequences/s over the rounds, and its bundle's gate. */
    record Row(String name, double sequencesPerSecond, Gate gate) {}

    /**
     * {@code ratios: ours-fp32/ort-fp32=X ours-best/ort-int8=Y student/ort-int8=Z}.
     *
     * @param oursFp32 our float32 row (the fused graph at batch 64)
     * @param ortFp32 ONNX Runtime's float32 row's sequences/s
     * @param ortInt8 ONNX Runtime's int8 row's sequences/s, {@code NaN} when it did not run
     * @param ours every row of ours, the student included; the fastest that counts as passing is
     *     ours-best
     * @param student the student's row, or {@code null} when none was given (Z is {@code n/a})
     */
    static String line(Row oursFp32, double ortFp32, double ortInt8, List<Row> ours, Row student) {
        Row best =
                ours.stream()
                        .filter(r -> r.gate().countsAsPassing())
                        .max(
                                (a, b) ->
                                        Double.compare(
                                                a.sequencesPerSecond(), b.sequencesPerSecond()))
                        .orElse(oursFp32);
        String studentKey =
                student == null || student.gate().countsAsPassing()
                        ? "student"
                        : student.gate() == Gate.FAILED
                                ? "student(failed-gate)"
                                : "student(not-gated)";
        return String.format(
                "ratios: ours-fp32/ort-fp32=%s ours-best/ort-int8=%s %s/ort-int8=%s (ours-best: %s)",
                ratio(oursFp32.sequencesPerSecond(), ortFp32),
                ratio(best.sequencesPerSecond(), ortInt8),
                studentKey,
                student == null ? "n/a" : ratio(student.sequencesPerSecond(), ortInt8),
                best.name());
    }

    private static String ratio(double ours, double theirs) {
        return Double.isNaN(ours) || Double.isNaN(theirs) || theirs <= 0
                ? "n/a"
                : String.format(Locale.ROOT, "%.2f", ours / theirs);
    }
}
