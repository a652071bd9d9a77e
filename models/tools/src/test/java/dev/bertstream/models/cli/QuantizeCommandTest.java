package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleTrust;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.OneDnnSupport;
import dev.bertstream.models.bundle.Precision;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.SeedData;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.weights.WeightTensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code models quantize} on a tiny bundle: writes an int8 bundle that passes the accuracy gate
 * with the measurements in bundle.json, and refuses a deliberately coarse one.
 */
class QuantizeCommandTest {

    @TempDir static Path tmp;
    static Path float32;
    static Path medianSplit;
    static Path dev;

    @BeforeAll
    static void bundle() throws Exception {
        assumeTrue(
                OneDnnSupport.enabled(), "int8 kernels need oneDNN: " + OneDnnSupport.describe());
        float32 = TestEncoders.tinyToxicityBundle(tmp.resolve("tiny"), 7);
        dev = SeedData.head("toxicity/dev.tsv", 80, tmp.resolve("dev.tsv"));
        medianSplit = medianSplitBundle(tmp.resolve("median"));
    }

    /**
     * The tiny encoder with a head whose boundary splits the dev texts in half (a random head gives
     * every text of a random encoder the same label, which any quantisation keeps).
     */
    private static Path medianSplitBundle(Path dir) throws Exception {
        List<String> texts =
                LabeledDatasetReader.read(dev).stream().map(LabeledExample::text).toList();
        int hidden = RandomBertWeights.tinyConfig().hiddenSize();
        float[] u = new float[hidden];
        Random r = new Random(1);
        for (int i = 0; i < hidden; i++) {
            u[i] = (float) r.nextGaussian();
        }
        double[] projections = new double[texts.size()];
        try (ModelBundle b = ModelBundle.load(float32, SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(b).includeEmbedding(true).build()) {
            List<Prediction> preds = p.predict(texts).predictions();
            for (int t = 0; t < texts.size(); t++) {
                for (int i = 0; i < hidden; i++) {
                    projections[t] += u[i] * preds.get(t).embedding()[i];
                }
            }
        }
        double[] sorted = projections.clone();
        Arrays.sort(sorted);
        float median = (float) ((sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);
        float[] kernel = new float[hidden * 2];
        for (int i = 0; i < hidden; i++) {
            kernel[i * 2 + 1] = u[i];
        }
        TaskHead head =
                new TaskHead(
                        "toxicity",
                        List.of("not_toxic", "toxic"),
                        new WeightTensor(new long[] {hidden, 2}, kernel),
                        new WeightTensor(new long[] {2}, new float[] {0, -median}));
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 7),
                        float32.resolve("tokenizer.json"))
                .maxSeqLength(32)
                .heads(List.of(head))
                .write(dir);
        return dir;
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
        assertThat(m.precisionGate().tasks().get(0).examples()).isEqualTo(80);
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
                        medianSplit.toString(),
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
