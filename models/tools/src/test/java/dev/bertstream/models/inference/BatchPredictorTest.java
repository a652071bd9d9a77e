package dev.bertstream.models.inference;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.TestCorpus;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The batched predictor on the real MiniLM encoder with two (untrained) heads. */
class BatchPredictorTest {

    @TempDir static Path tmp;
    static ModelBundle bundle;
    static BatchPredictor predictor;

    @BeforeAll
    static void load() throws Exception {
        PretrainedEncoder.Extracted files =
                PretrainedEncoder.MINILM_L6.resolve(Path.of("target", "pretrained"));
        ImportedEncoder enc =
                OnnxBertImporter.importFile(files.onnx(), files.tokenizerJson(), "test");
        List<TaskHead> heads =
                List.of(
                        RandomBertWeights.head(
                                "sentiment", List.of("negative", "neutral", "positive"), 384, 1),
                        RandomBertWeights.head(
                                "intent",
                                List.of("billing", "cancel", "shipping", "greeting"),
                                384,
                                2));
        List<BundleManifest.Task> settings =
                List.of(
                        new BundleManifest.Task(
                                "sentiment",
                                List.of("negative", "neutral", "positive"),
                                null,
                                null),
                        // A threshold no 4-class softmax can reach: every intent abstains.
                        new BundleManifest.Task(
                                "intent",
                                List.of("billing", "cancel", "shipping", "greeting"),
                                "oos",
                                1.01));
        BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                .name("test")
                .version("3")
                .maxSeqLength(128)
                .heads(heads, settings)
                .write(tmp.resolve("bundle"));
        bundle = ModelBundle.load(tmp.resolve("bundle"), SessionSettings.defaults());
        predictor = BatchPredictor.builder(bundle).maxBatchSize(16).includeEmbedding(true).build();
    }

    @AfterAll
    static void close() {
        predictor.close();
        bundle.close();
    }

    @Test
    void everyTextGetsEveryTaskWithProbabilitiesThatSumToOne() {
        List<String> texts = TestCorpus.english(60);
        BatchResult r = predictor.predict(texts);
        assertThat(r.predictions()).hasSize(60);
        for (Prediction p : r.predictions()) {
            assertThat(p.tasks().keySet()).containsExactly("sentiment", "intent");
            TaskPrediction s = p.task("sentiment");
            float sum = 0;
            for (float v : s.probabilities()) {
                sum += v;
            }
            assertThat(sum).isCloseTo(1f, within(1e-5f));
            assertThat(s.label()).isIn("negative", "neutral", "positive");
            assertThat(s.score()).isEqualTo(s.probability(s.label()));
            assertThat(p.task("intent").label()).isEqualTo("oos");
            assertThat(p.embedding()).hasSize(384);
        }
        assertThat(r.stats().sessionCalls()).isGreaterThanOrEqualTo(4);
        try (BatchPredictor ungrouped =
                BatchPredictor.builder(bundle).maxBatchSize(16).groupByLength(false).build()) {
            BatchStats plain = ungrouped.predict(texts).stats();
            assertThat(r.stats().realTokens()).isEqualTo(plain.realTokens());
            assertThat(r.stats().paddingEfficiency()).isGreaterThan(plain.paddingEfficiency());
        }
    }

    @Test
    void paddingWidthsToMultiplesOfEightChangesNoPrediction() {
        List<String> texts = TestCorpus.english(48);
        try (BatchPredictor exact =
                        BatchPredictor.builder(bundle)
                                .maxBatchSize(16)
                                .includeEmbedding(true)
                                .padWidthTo(1)
                                .build();
                BatchPredictor eight =
                        BatchPredictor.builder(bundle)
                                .maxBatchSize(16)
                                .includeEmbedding(true)
                                .padWidthTo(8)
                                .build();
                BatchPredictor wide =
                        BatchPredictor.builder(bundle)
                                .maxBatchSize(16)
                                .includeEmbedding(true)
                                .padWidthTo(32)
                                .build()) {
            BatchResult unpadded = exact.predict(texts);
            BatchResult byEight = eight.predict(texts);
            BatchResult byThirtyTwo = wide.predict(texts);
            // Some batch really was widened, else the comparison proves nothing.
            assertThat(byEight.stats().computedTokens())
                    .isGreaterThan(unpadded.stats().computedTokens());
            assertThat(byThirtyTwo.stats().computedTokens())
                    .isGreaterThan(byEight.stats().computedTokens());
            assertThat(byEight.stats().computedTokens() % 8).isZero();
            float maxDiff = 0;
            for (BatchResult padded : List.of(byEight, byThirtyTwo)) {
                for (int i = 0; i < texts.size(); i++) {
                    Prediction want = unpadded.predictions().get(i);
                    Prediction got = padded.predictions().get(i);
                    assertThat(got.task("sentiment").label())
                            .isEqualTo(want.task("sentiment").label());
                    maxDiff = Math.max(maxDiff, maxAbsDiff(want.embedding(), got.embedding()));
                    maxDiff =
                            Math.max(
                                    maxDiff,
                                    maxAbsDiff(
                                            want.task("sentiment").probabilities(),
                                            got.task("sentiment").probabilities()));
                }
            }
            System.out.printf(
                    "padding to 8/32: max |diff| of embeddings and probabilities %.3g%n", maxDiff);
            // Not bit for bit: the extra masked columns change the length of the attention and
            // pooling sums, so their rounding (measured: 1.1e-6 at most).
            assertThat(maxDiff).isLessThanOrEqualTo(1e-5f);
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void resultsDoNotDependOnBatchingOrOrder() {
        List<String> texts = TestCorpus.english(40);
        List<Prediction> batched = predictor.predict(texts).predictions();
        for (int i = 0; i < texts.size(); i += 7) {
            Prediction alone = predictor.predict(List.of(texts.get(i))).predictions().get(0);
            float[] a = alone.task("sentiment").probabilities();
            float[] b = batched.get(i).task("sentiment").probabilities();
            for (int k = 0; k < a.length; k++) {
                assertThat(a[k]).as(texts.get(i)).isCloseTo(b[k], within(1e-4f));
            }
        }
    }

    @Test
    void badInputGetsPredictionsNotCrashes() {
        String megabyte = "word ".repeat(210_000);
        List<String> bad =
                List.of(
                        "",
                        "   \t\n ",
                        megabyte,
                        "lone \uD800 high and \uDC00 low",
                        "ctl\u0000\u0001\u001f\u007f",
                        "\uFEFF\u200B\u202E reversed",
                        "😀".repeat(2000));
        BatchResult r = predictor.predict(bad);
        assertThat(r.predictions()).hasSize(bad.size());
        assertThat(r.predictions().get(0).tokens()).isEqualTo(2);
        assertThat(r.predictions().get(2).truncated()).isTrue();
        assertThat(r.predictions().get(2).tokens()).isEqualTo(128);
        assertThat(r.predictions().get(1).truncated()).isFalse();
        r.predictions()
                .forEach(
                        p ->
                                assertThat(p.task("sentiment").probabilities())
                                        .doesNotContain(Float.NaN));
    }

    @Test
    void oneLoadedModelServesManyThreads() throws Exception {
        List<String> texts = TestCorpus.english(24);
        List<Prediction> expected = predictor.predict(texts).predictions();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> predictor.predict(texts).predictions()));
            }
            for (Future<List<Prediction>> f : futures) {
                List<Prediction> got = f.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(got.get(i).task("sentiment").label())
                            .isEqualTo(expected.get(i).task("sentiment").label());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
