package dev.bertstream.models.training.finetune;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.SeedData;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.training.FrozenHeadTrainer;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.TaskData;
import dev.bertstream.models.weights.WeightTensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Fine-tuning starts from the heads the frozen trainer learns (tiny random encoder, real TF). */
class WarmStartTest {

    @TempDir static Path tmp;
    static Path tinyEncoder;
    static TaskData sentiment;

    @BeforeAll
    static void setUp() throws Exception {
        tinyEncoder = tmp.resolve("tiny");
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 3),
                        TestEncoders.minilm().tokenizerFile())
                .maxSeqLength(32)
                .write(tinyEncoder);
        sentiment =
                new TaskData(
                        "sentiment",
                        SeedData.head("sentiment/train.tsv", 320, tmp.resolve("train.tsv")),
                        SeedData.head("sentiment/dev.tsv", 80, tmp.resolve("dev.tsv")));
    }

    @Test
    void reorderPlacesTrainedColumnsByLabelNameAndKeepsTheFallbackForMissingLabels() {
        // Trained head: labels [b, a], hidden 2; kernel row-major [hidden, labels].
        TaskHead trained =
                new TaskHead(
                        "t",
                        List.of("b", "a"),
                        new WeightTensor(new long[] {2, 2}, new float[] {1, 2, 3, 4}),
                        new WeightTensor(new long[] {2}, new float[] {10, 20}));
        TaskHead fallback =
                new TaskHead(
                        "t",
                        List.of("a", "b", "c"),
                        new WeightTensor(new long[] {2, 3}, new float[] {-1, -1, -7, -1, -1, -8}),
                        new WeightTensor(new long[] {3}, new float[] {0, 0, 0}));
        TaskHead warm = WarmStart.reorder(trained, fallback);
        assertThat(warm.labels()).containsExactly("a", "b", "c");
        assertThat(warm.kernel().data()).containsExactly(2, 1, -7, 4, 3, -8);
        assertThat(warm.bias().data()).containsExactly(20, 10, 0);
    }

    @Test
    void fineTuningStartsFromTheFrozenHead() throws Exception {
        Path frozen = tmp.resolve("frozen");
        FrozenHeadTrainer.builder(tinyEncoder)
                .task(sentiment)
                .maxLen(32)
                .log(quiet())
                .train(frozen);
        // A vanishing learning rate: the fine-tuned bundle is its starting point.
        FineTuneReport warmReport = fineTune("warm", true);
        FineTuneReport coldReport = fineTune("cold", false);
        Path warm = tmp.resolve("warm");
        Path cold = tmp.resolve("cold");
        // The warm start is scored before any step and is a checkpoint candidate itself.
        assertThat(warmReport.curve().get(0).step()).isZero();
        assertThat(coldReport.curve().get(0).step()).isPositive();

        List<String> texts =
                LabeledDatasetReader.read(sentiment.dev()).stream()
                        .map(LabeledExample::text)
                        .toList();
        float[][] frozenP = probabilities(frozen, texts);
        assertThat(maxDifference(probabilities(warm, texts), frozenP)).isLessThan(1e-3);
        assertThat(maxDifference(probabilities(cold, texts), frozenP)).isGreaterThan(0.05);
    }

    private static FineTuneReport fineTune(String name, boolean warmStart) throws Exception {
        Path out = tmp.resolve(name);
        return EncoderFineTuner.builder(tinyEncoder)
                .task(sentiment)
                .maxLen(32)
                .warmStart(warmStart)
                .temperatureScaling(false)
                .options(FineTuneOptions.builder().epochs(1).learningRate(1e-12).build())
                .log(quiet())
                .train(out);
    }

    private static float[][] probabilities(Path bundle, List<String> texts) {
        try (ModelBundle b = ModelBundle.load(bundle, SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(b).build()) {
            return p.predict(texts).predictions().stream()
                    .map(x -> x.task("sentiment").probabilities())
                    .toArray(float[][]::new);
        }
    }

    private static double maxDifference(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                max = Math.max(max, Math.abs(a[i][c] - b[i][c]));
            }
        }
        return max;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
