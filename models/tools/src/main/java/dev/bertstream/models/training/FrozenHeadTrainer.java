package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.weights.WeightTensor;

import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains one classification head per task on a frozen encoder and writes encoder + heads as one
 * bundle, so one encoder pass serves every task. Sentence embeddings are computed once per distinct
 * text and shared across tasks; each head then trains in seconds.
 *
 * <pre>{@code
 * FrozenHeadTrainer.builder(Path.of("bundles/minilm"))
 *     .task(TaskData.parse("intent=train.tsv,dev.tsv")).name("chat").version("2")
 *     .train(Path.of("bundles/chat"));
 * }</pre>
 */
@Internal
public final class FrozenHeadTrainer extends BundleTrainer<FrozenHeadTrainer> {

    private HeadTrainingOptions options = HeadTrainingOptions.defaults();

    private FrozenHeadTrainer(Path encoderBundle) {
        super(encoderBundle);
    }

    /**
     * Starts a trainer on the encoder of the bundle in {@code encoderBundle} (its own heads are
     * ignored).
     */
    public static FrozenHeadTrainer builder(Path encoderBundle) {
        return new FrozenHeadTrainer(encoderBundle);
    }

    @Override
    protected FrozenHeadTrainer self() {
        return this;
    }

    public FrozenHeadTrainer options(HeadTrainingOptions options) {
        this.options = Objects.requireNonNull(options);
        return this;
    }

    /** What training produced, per task. */
    public record TaskReport(
            String task,
            List<String> labels,
            int trainExamples,
            int devExamples,
            int bestEpoch,
            double devAccuracy,
            Double abstainThreshold,
            double seconds) {}

    /** Trains every head and writes the bundle to {@code out}. */
    public List<TaskReport> train(Path out) throws IOException {
        requireTasks();
        Map<TaskData, List<LabeledExample>> trainSets = new LinkedHashMap<>();
        Map<TaskData, List<LabeledExample>> devSets = new LinkedHashMap<>();
        for (TaskData t : tasks) {
            trainSets.put(t, LabeledDatasetReader.read(t.train()));
            if (t.dev() != null) {
                devSets.put(t, LabeledDatasetReader.read(t.dev()));
            }
        }
        List<TaskHead> heads = new ArrayList<>();
        List<BundleManifest.Task> settings = new ArrayList<>();
        List<TaskReport> reports = new ArrayList<>();
        try (ModelBundle encoder = ModelBundle.load(encoderBundle, SessionSettings.defaults())) {
            int seqLen = maxLen > 0 ? maxLen : encoder.manifest().maxSeqLength();
            Map<String, float[]> embeddings = embedAll(encoder, seqLen, trainSets, devSets);
            for (TaskData t : tasks) {
                long start = System.nanoTime();
                TaskReport report =
                        trainTask(t, trainSets.get(t), devSets.get(t), embeddings, heads, settings);
                reports.add(
                        new TaskReport(
                                report.task(),
                                report.labels(),
                                report.trainExamples(),
                                report.devExamples(),
                                report.bestEpoch(),
                                report.devAccuracy(),
                                report.abstainThreshold(),
                                (System.nanoTime() - start) / 1e9));
            }
            BundleManifest m = encoder.manifest();
            BundleWriter.builder(encoder.encoderWeights(), encoder.tokenizerFile())
                    .name(name)
                    .version(version)
                    .source(m.encoder().source())
                    .activation(Activation.fromHuggingFace(m.encoder().activation()))
                    .pooling(Pooling.parse(m.pooling()))
                    .maxSeqLength(seqLen)
                    .heads(heads, settings)
                    .write(out);
        }
        return reports;
    }

    private TaskReport trainTask(
            TaskData t,
            List<LabeledExample> train,
            List<LabeledExample> dev,
            Map<String, float[]> embeddings,
            List<TaskHead> heads,
            List<BundleManifest.Task> settings) {
        TaskLabels taskLabels = TaskLabels.of(t, train, dev);
        List<String> labels = taskLabels.labels();
        boolean hasOos = taskLabels.hasOutOfScope();
        Map<String, Integer> index = taskLabels.index();
        List<LabeledExample> inScope =
                train.stream().filter(e -> index.containsKey(e.label())).toList();
        float[][] x = inScope.stream().map(e -> embeddings.get(e.text())).toArray(float[][]::new);
        int[] y = inScope.stream().mapToInt(e -> index.get(e.label())).toArray();
        List<LabeledExample> devInScope =
                dev == null
                        ? null
                        : dev.stream().filter(e -> index.containsKey(e.label())).toList();
        float[][] devX =
                devInScope == null || devInScope.isEmpty()
                        ? null
                        : devInScope.stream()
                                .map(e -> embeddings.get(e.text()))
                                .toArray(float[][]::new);
        int[] devY =
                devX == null
                        ? null
                        : devInScope.stream().mapToInt(e -> index.get(e.label())).toArray();

        SoftmaxHeadTrainer.Trained trained;
        try (ProgressBar pb = progress("Training " + t.name(), options.epochs())) {
            trained =
                    new SoftmaxHeadTrainer(options)
                            .train(
                                    x,
                                    y,
                                    labels.size(),
                                    devX,
                                    devY,
                                    s -> {
                                        pb.step();
                                        pb.setExtraMessage(
                                                String.format(
                                                        "loss %.3f dev acc %.3f",
                                                        s.trainLoss(), s.devAccuracy()));
                                    });
            pb.stepTo(options.epochs());
        }
        int hidden = x[0].length;
        heads.add(
                new TaskHead(
                        t.name(),
                        labels,
                        new WeightTensor(new long[] {hidden, labels.size()}, trained.kernel()),
                        new WeightTensor(new long[] {labels.size()}, trained.bias())));

        Double threshold = null;
        if (hasOos && dev != null) {
            threshold = calibrate(dev, index, embeddings, trained, labels.size());
        }
        settings.add(
                new BundleManifest.Task(
                        t.name(),
                        labels,
                        threshold == null ? null : TaskLabels.OUT_OF_SCOPE,
                        threshold));
        double devAcc =
                trained.curve().stream()
                        .filter(s -> s.epoch() == trained.bestEpoch())
                        .mapToDouble(SoftmaxHeadTrainer.EpochStats::devAccuracy)
                        .findFirst()
                        .orElse(Double.NaN);
        log.printf(
                "%s: %d labels, %d train / %d dev examples, best epoch %d, dev accuracy (in scope) %.4f%s%n",
                t.name(),
                labels.size(),
                inScope.size(),
                dev == null ? 0 : dev.size(),
                trained.bestEpoch(),
                devAcc,
                threshold == null
                        ? ""
                        : String.format(
                                ", abstain below %.2f -> %s", threshold, TaskLabels.OUT_OF_SCOPE));
        return new TaskReport(
                t.name(),
                labels,
                inScope.size(),
                dev == null ? 0 : dev.size(),
                trained.bestEpoch(),
                devAcc,
                threshold,
                0);
    }

    private static double calibrate(
            List<LabeledExample> dev,
            Map<String, Integer> index,
            Map<String, float[]> embeddings,
            SoftmaxHeadTrainer.Trained head,
            int classes) {
        double[][] p =
                dev.stream()
                        .map(
                                e ->
                                        SoftmaxHeadTrainer.probabilities(
                                                embeddings.get(e.text()),
                                                head.kernel(),
                                                head.bias(),
                                                classes))
                        .toArray(double[][]::new);
        return AbstainCalibrator.calibrate(dev, index, p);
    }

    private Map<String, float[]> embedAll(
            ModelBundle encoder,
            int seqLen,
            Map<TaskData, List<LabeledExample>> train,
            Map<TaskData, List<LabeledExample>> dev) {
        List<String> texts =
                new ArrayList<>(
                        new java.util.LinkedHashSet<>(
                                java.util.stream.Stream.concat(
                                                train.values().stream(), dev.values().stream())
                                        .flatMap(List::stream)
                                        .map(LabeledExample::text)
                                        .toList()));
        Map<String, float[]> out = new HashMap<>();
        int chunk = 512;
        try (BatchPredictor predictor =
                        BatchPredictor.builder(encoder)
                                .includeEmbedding(true)
                                .maxSeqLength(seqLen)
                                .maxBatchSize(64)
                                .maxBatchTokens(64 * seqLen)
                                .build();
                ProgressBar pb = progress("Embedding texts", texts.size())) {
            for (int start = 0; start < texts.size(); start += chunk) {
                List<String> part = texts.subList(start, Math.min(texts.size(), start + chunk));
                var predictions = predictor.predict(part).predictions();
                for (int i = 0; i < part.size(); i++) {
                    out.put(part.get(i), predictions.get(i).embedding());
                }
                pb.stepBy(part.size());
            }
        }
        return out;
    }

    private ProgressBar progress(String task, long max) {
        return TrainingProgress.bar(log, task, max, "");
    }
}
