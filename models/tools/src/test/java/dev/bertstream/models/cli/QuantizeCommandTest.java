package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleTrust;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.OneDnnSupport;
import dev.bertstream.models.bundle.Precision;
import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.SeedData;
import dev.bertstream.models.testutils.TestEncoders;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code models quantize} on a tiny bundle: writes an int8 bundle that passes the accuracy gate
 * with the measurements in bundle.json, and refuses a deliberately coarse one.
 */
class QuantizeCommandTest {

    @TempDir static Path tmp;
    static Path float32;
    static Path dev;

    @BeforeAll
    static void bundle() throws Exception {
        assumeTrue(
                OneDnnSupport.enabled(), "int8 kernels need oneDNN: " + OneDnnSupport.describe());
        float32 = TestEncoders.tinyToxicityBundle(tmp.resolve("tiny"), 7);
        dev = SeedData.head("toxicity/dev.tsv", 80, tmp.resolve("dev.tsv"));
    }

    @Test
    void writesAnInt8BundleThatPassesTheGateAndRecordsIt() {
        Path out = tmp.resolve("tiny-int8");
        CommandRun run =
                CommandRun.of(
                        new ModelsCommand(),
                        "quantize",
                        "--model",
                        float32.toString(),
                        "--out",
                        out.toString(),
                        "--task",
                        "toxicity=" + dev);
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("agreement").contains("macro-F1").contains("Wrote");
        BundleManifest m = ModelBundle.verify(out, BundleTrust.none());
        assertThat(m.precisionKind()).isEqualTo(Precision.INT8);
        assertThat(m.precisionGate().passed()).isTrue();
        assertThat(m.precisionGate().tasks()).hasSize(1);
        assertThat(m.precisionGate().tasks().get(0).examples()).isEqualTo(79);
        assertThat(m.precisionGate().reference()).contains(ModelBundle.manifestSha256(float32));
    }

    @Test
    void refusesACoarselyQuantisedBundleAndWritesNothing() {
        Path out = tmp.resolve("tiny-coarse");
        CommandRun run =
                CommandRun.of(
                        new ModelsCommand(),
                        "quantize",
                        "--model",
                        float32.toString(),
                        "--out",
                        out.toString(),
                        "--dev",
                        dev.toString(),
                        "--int8-levels",
                        "1");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED").contains("agreement");
        assertThat(run.err()).contains("Refusing to write");
        assertThat(out).doesNotExist();
        assertThat(tmp.toFile().list()).allMatch(n -> !n.contains(".gate-"));
    }
}
