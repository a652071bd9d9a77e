package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.LabelScore;
import dev.bertstream.models.inference.TaskPrediction;
import dev.bertstream.models.inference.TopClass;
import dev.bertstream.models.testutils.SharedDatasets;
import dev.bertstream.models.testutils.TestEncoders;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Trains real heads on the MiniLM encoder with a few hundred shared-dataset examples. */
class FrozenHeadTrainerTest {

    @TempDir static Path tmp;
    static Path encoder;

    @BeforeAll
    static void importEncoder() throws Exception {
        encoder = TestEncoders.minilmBundle(tmp.resolve("encoder"), 64);
    }

    @Test
    void fewHundredExamplesBeatTheMajorityClassClearly() throws Exception {
        assumeTrue(SharedDatasets.available(), SharedDatasets.SKIP_MESSAGE);
        Path train = SharedDatasets.head("sst2/train.tsv", 400, tmp.resolve("sst2-train.tsv"));
        Path dev = SharedDatasets.head("sst2/dev.tsv", 200, tmp.resolve("sst2-dev.tsv"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<FrozenHeadTrainer.TaskReport> reports =
                FrozenHeadTrainer.builder(encoder)
                        .task(new TaskData("sentiment", train, dev))
                        .name("t")
                        .version("9")
                        .options(new HeadTrainingOptions(3, 5e-3, 1e-4, 32, 3, 42, true))
                        .log(new PrintStream(log, true))
                        .train(tmp.resolve("out"));

        List<LabeledExample> devSet = LabeledDatasetReader.read(dev);
        double majority =
                devSet.stream()
                                .collect(
                                        Collectors.groupingBy(
                                                LabeledExample::label, Collectors.counting()))
                                .values()
                                .stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElseThrow()
                        / (double) devSet.size();
        try (ModelBundle bundle = ModelBundle.load(tmp.resolve("out"), SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(bundle).build()) {
            assertThat(bundle.manifest().version()).isEqualTo("9");
            ClassificationMetrics m = TaskEvaluator.evaluate(p, "sentiment", devSet);
            assertThat(m.accuracy()).isGreaterThan(majority + 0.15);
            assertThat(m.accuracy())
                    .isCloseTo(
                            reports.get(0).devAccuracy(),
                            org.assertj.core.data.Offset.offset(0.02));
        }
        assertThat(log.toString()).contains("sentiment: 2 labels");
    }

    @Test
    void lossFallsOverEpochs() throws Exception {
        assumeTrue(SharedDatasets.available(), SharedDatasets.SKIP_MESSAGE);
        Path train = SharedDatasets.head("sst2/train.tsv", 300, tmp.resolve("sst2-small.tsv"));
        try (ModelBundle bundle = ModelBundle.load(encoder, SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(bundle).includeEmbedding(true).build()) {
            List<LabeledExample> ex = LabeledDatasetReader.read(train);
            var preds = p.predict(ex.stream().map(LabeledExample::text).toList()).predictions();
            float[][] x = preds.stream().map(pr -> pr.embedding()).toArray(float[][]::new);
            List<String> labels =
                    ex.stream().map(LabeledExample::label).distinct().sorted().toList();
            Map<String, Integer> idx =
                    labels.stream().collect(Collectors.toMap(Function.identity(), labels::indexOf));
            int[] y = ex.stream().mapToInt(e -> idx.get(e.label())).toArray();
            List<SoftmaxHeadTrainer.EpochStats> curve = new java.util.ArrayList<>();
            new SoftmaxHeadTrainer(new HeadTrainingOptions(4, 5e-3, 1e-4, 32, 4, 1, true))
                    .train(x, y, 2, null, null, curve::add);
            assertThat(curve.get(3).trainLoss()).isLessThan(curve.get(0).trainLoss());
        }
    }

    @Test
    void devLabelMissingFromTrainNamesFileAndLine() throws Exception {
        Path train = tmp.resolve("t.tsv");
        Path dev = tmp.resolve("d.tsv");
        Files.writeString(train, "good\tpositive\nbad\tnegative\n");
        Files.writeString(dev, "fine\tpositive\nwhatever\tneutral\n");
        assertThatThrownBy(
                        () ->
                                FrozenHeadTrainer.builder(encoder)
                                        .task(new TaskData("s", train, dev))
                                        .log(new PrintStream(new ByteArrayOutputStream()))
                                        .train(tmp.resolve("never")))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("d.tsv:2")
                .hasMessageContaining("'neutral'");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void outOfScopeExamplesCalibrateAnAbstainThreshold() throws Exception {
        Path train = tmp.resolve("intent.tsv");
        Path dev = tmp.resolve("intent-dev.tsv");
        Files.writeString(
                train,
                String.join(
                                "\n",
                                "i was charged twice\tbilling",
                                "why is my bill so high\tbilling",
                                "refund the extra charge on my card\tbilling",
                                "invoice looks wrong\tbilling",
                                "where is my package\tshipping",
                                "when will my order arrive\tshipping",
                                "tracking number not working\tshipping",
                                "parcel is late\tshipping",
                                "what's the weather\toos",
                                "tell me a joke\toos")
                        + "\n");
        Files.writeString(
                dev,
                String.join(
                                "\n",
                                "double charge on my statement\tbilling",
                                "my order has not arrived\tshipping",
                                "who won the football game\toos",
                                "recipe for pancakes\toos")
                        + "\n");
        FrozenHeadTrainer.builder(encoder)
                .task(new TaskData("intent", train, dev))
                .options(new HeadTrainingOptions(30, 1e-2, 0, 4, 30, 3, true))
                .log(new PrintStream(new ByteArrayOutputStream()))
                .train(tmp.resolve("intent-bundle"));
        BundleManifest.Task task =
                ModelBundle.readManifest(tmp.resolve("intent-bundle")).task("intent");
        assertThat(task.labels()).containsExactly("billing", "shipping");
        assertThat(task.abstainLabel()).isEqualTo("oos");
        double threshold = task.abstainThreshold();

        // The threshold must be the best one on the dev set: recount, from the bundle's own
        // probabilities, how many dev examples each candidate threshold gets right (abstaining is
        // right exactly for out-of-scope ones) and check that none beats it.
        List<LabeledExample> devSet = LabeledDatasetReader.read(dev);
        try (ModelBundle bundle =
                        ModelBundle.load(tmp.resolve("intent-bundle"), SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(bundle).build()) {
            List<TaskPrediction> preds =
                    p
                            .predict(devSet.stream().map(LabeledExample::text).toList())
                            .predictions()
                            .stream()
                            .map(pr -> pr.task("intent"))
                            .toList();
            int best = 0;
            for (int step = 0; step <= 100; step++) {
                best = Math.max(best, correctWhenAbstainingBelow(step / 100.0, devSet, preds));
            }
            assertThat(correctWhenAbstainingBelow(threshold, devSet, preds))
                    .as("dev examples right at threshold %s", threshold)
                    .isEqualTo(best);
            for (TaskPrediction pr : preds) {
                assertThat(pr.label().equals("oos"))
                        .as("abstains exactly below the threshold (score %s)", pr.score())
                        .isEqualTo(pr.score() < threshold);
            }
        }
    }

    private static int correctWhenAbstainingBelow(
            double threshold, List<LabeledExample> dev, List<TaskPrediction> preds) {
        int correct = 0;
        for (int i = 0; i < dev.size(); i++) {
            TaskPrediction pr = preds.get(i);
            String top = pr.labels().get(TopClass.of(pr.probabilities()));
            String predicted = pr.score() < threshold ? "oos" : top;
            correct += predicted.equals(dev.get(i).label()) ? 1 : 0;
        }
        return correct;
    }

    @Test
    void commaSeparatedLabelsTrainASigmoidHeadWhoseThresholdsScoreDevAsReported() throws Exception {
        // Real words the MiniLM embedding tells apart: "refund" -> billing, "late" -> delivery,
        // "rude" -> complaint, in any combination.
        String[][] parts = {
            {"I want a refund", "billing"},
            {"my parcel is late", "delivery"},
            {"your agent was rude", "complaint"}
        };
        java.util.Random r = new java.util.Random(5);
        StringBuilder train = new StringBuilder();
        StringBuilder dev = new StringBuilder();
        for (int i = 0; i < 160; i++) {
            List<String> text = new java.util.ArrayList<>();
            List<String> labels = new java.util.ArrayList<>();
            for (String[] p : parts) {
                if (r.nextInt(2) == 0) {
                    text.add(p[0]);
                    labels.add(p[1]);
                }
            }
            if (labels.isEmpty()) {
                text.add(parts[i % 3][0]);
                labels.add(parts[i % 3][1]);
            }
            java.util.Collections.sort(labels);
            (i < 120 ? train : dev)
                    .append(String.join(" and ", text))
                    .append(" (ticket ")
                    .append(i)
                    .append(")\t")
                    .append(String.join(",", labels))
                    .append('\n');
        }
        Path trainFile = tmp.resolve("support-train.tsv");
        Path devFile = tmp.resolve("support-dev.tsv");
        Files.writeString(trainFile, train);
        Files.writeString(devFile, dev);

        List<FrozenHeadTrainer.TaskReport> reports =
                FrozenHeadTrainer.builder(encoder)
                        .task(new TaskData("topics", trainFile, devFile))
                        .options(new HeadTrainingOptions(30, 1e-2, 1e-4, 16, 10, 42, true))
                        .log(new PrintStream(new ByteArrayOutputStream(), true))
                        .train(tmp.resolve("multi"));

        assertThat(reports.get(0).devMacroF1()).isGreaterThan(0.9);
        try (ModelBundle bundle =
                        ModelBundle.load(tmp.resolve("multi"), SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(bundle).build()) {
            BundleManifest.Task task = bundle.manifest().task("topics");
            assertThat(task.multiLabel()).isTrue();
            assertThat(task.labels()).containsExactly("billing", "complaint", "delivery");
            assertThat(task.thresholds()).hasSize(3);
            MultiLabelMetrics m =
                    TaskEvaluator.evaluateMultiLabel(
                            p, "topics", LabeledDatasetReader.read(devFile));
            assertThat(m.macroF1())
                    .isCloseTo(
                            reports.get(0).devMacroF1(), org.assertj.core.data.Offset.offset(0.02));
            TaskPrediction both =
                    p.predict(List.of("I want a refund and my parcel is late"))
                            .predictions()
                            .get(0)
                            .task("topics");
            assertThat(both.assigned())
                    .extracting(LabelScore::label)
                    .containsExactlyInAnyOrder("billing", "delivery");
        }
    }
}
