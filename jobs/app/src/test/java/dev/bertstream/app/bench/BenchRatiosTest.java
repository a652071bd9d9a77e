package dev.bertstream.app.bench;

import dev.bertstream.app.bench.BenchRatios.Gate;
import dev.bertstream.app.bench.BenchRatios.Row;
import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.PrecisionGate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchRatiosTest {

    private final Row fp32 = new Row("tensorflow b64", 150, Gate.FLOAT32);
    private final Row int8 = new Row("tensorflow-int8 b64", 300, Gate.NOT_GATED);

    @Test
    void oursBestSkipsUngatedRowsAndStudentIsNaWithoutOne() {
        String line =
                BenchRatios.line(
                        fp32,
                        100,
                        200,
                        List.of(fp32, new Row("legacy", 120, Gate.FLOAT32), int8),
                        null);

        assertThat(line)
                .isEqualTo(
                        "ratios: ours-fp32/ort-fp32=1.50 ours-best/ort-int8=0.75"
                                + " student/ort-int8=n/a (ours-best: tensorflow b64)");
    }

    @Test
    void aPassingStudentCanBeOursBest() {
        Row student = new Row("student b64", 400, Gate.PASSED);

        String line = BenchRatios.line(fp32, 100, 200, List.of(fp32, int8, student), student);

        assertThat(line)
                .isEqualTo(
                        "ratios: ours-fp32/ort-fp32=1.50 ours-best/ort-int8=2.00"
                                + " student/ort-int8=2.00 (ours-best: student b64)");
    }

    @Test
    void aStudentThatFailedItsGateIsMarkedAndNotOursBest() {
        Row student = new Row("student b64", 400, Gate.FAILED);

        String line = BenchRatios.line(fp32, 100, 200, List.of(fp32, int8, student), student);

        assertThat(line)
                .startsWith("ratios: ours-fp32/ort-fp32=1.50 ours-best/ort-int8=0.75 ")
                .contains(" student(failed-gate)/ort-int8=2.00 ")
                .endsWith("(ours-best: tensorflow b64)");
    }

    @Test
    void missingOrtInt8RowPrintsNa() {
        String line = BenchRatios.line(fp32, 100, Double.NaN, List.of(fp32), null);

        assertThat(line).contains("ours-best/ort-int8=n/a ");
    }

    @Test
    void gateIsReadFromPrecisionGateAndDistillationGate() {
        PrecisionGate failing =
                new PrecisionGate(
                        "float32",
                        0.995,
                        0.005,
                        List.of(
                                new PrecisionGate.TaskCheck(
                                        "sentiment", "dev.tsv", 10, 0.9, null, null)));
        PrecisionGate passing =
                new PrecisionGate(
                        "float32",
                        0.995,
                        0.005,
                        List.of(
                                new PrecisionGate.TaskCheck(
                                        "sentiment", "dev.tsv", 10, 1.0, null, null)));

        assertThat(Gate.of(manifest(null, null, null))).isEqualTo(Gate.FLOAT32);
        assertThat(Gate.of(manifest("int8", null, null))).isEqualTo(Gate.NOT_GATED);
        assertThat(Gate.of(manifest("int8", passing, null))).isEqualTo(Gate.PASSED);
        assertThat(Gate.of(manifest("int8", failing, null))).isEqualTo(Gate.FAILED);
        assertThat(Gate.of(manifest(null, null, distillation(true)))).isEqualTo(Gate.PASSED);
        assertThat(Gate.of(manifest(null, null, distillation(false)))).isEqualTo(Gate.FAILED);
        // An int8 copy of a passing student passes only if its own precision gate passed too.
        assertThat(Gate.of(manifest("int8", failing, distillation(true)))).isEqualTo(Gate.FAILED);
    }

    private static DistillationInfo distillation(boolean passed) {
        return new DistillationInfo(
                "teacher 1",
                "00",
                List.of(1, 3, 5),
                100,
                10,
                1.0,
                new DistillationInfo.Gate(passed, 0.995, 0.005, List.of()));
    }

    private static BundleManifest manifest(
            String precision, PrecisionGate gate, DistillationInfo distillation) {
        return new BundleManifest(
                BundleManifest.CURRENT_FORMAT,
                "m",
                "1",
                null,
                128,
                "mean",
                "right",
                List.of(),
                "tokenizer.json",
                "saved_model",
                null,
                precision,
                gate,
                distillation);
    }
}
