package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.tokenizer.Truncation;
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
    private int maxTrainExamples = Integer.MAX_VALUE;

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

    /**
     * Trains each head on at most {@code n} training examples, a seeded random sample of a larger
     * train file (default: all), so that embedding a large set stays bounded.
     */
    public FrozenHeadTrainer maxTrainExamples(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxTrainExamples must be >= 1, got " + n);
        }
        this.maxTrainExamples = n;
        return this;
    }

    /**
     * The trained heads, in task order, with their bundle settings (labels, abstain threshold or
     * per-label thresholds) and reports.
     */
    public record TrainedHeads(
            List<TaskHead> heads, List<BundleManifest.Task> settings, List<TaskReport> reports) {}

    /**
     * What training produced, per task.
     *
     * @param devAccuracy dev accuracy of a single-label task (in scope); NaN for a multi-label task
     * @param devMacroF1 dev macro-F1 of a multi-label task at the per-label thresholds calibrated
     *     on that dev set; NaN for a single-label task
     */
    public record TaskReport(
            String task,
            List<String> labels,
            int trainExamples,
            int devExamples,
            int bestEpoch,
            double devAccuracy,
            Double abstainThreshold,
            double seconds,
            double devMacroF1) {}

    /** Trains every head and writes the bundle to {@code out}. */
    public List<TaskReport> train(Path out) throws IOException {
        requireTasks();
        try (ModelBundle encoder = ModelBundle.load(encoderBundle, SessionSettings.defaults())) {
            int seqLen = maxLen > 0 ? maxLen : encoder.manifest().maxSeqLength();
            Truncation strategy = truncationOr(encoder.manifest());
            TrainedHeads trained = trainHeads(encoder, seqLen, strategy);
            BundleManifest m = encoder.manifest();
            BundleWriter.builder(encoder.encoderWeights(), encoder.tokenizerFile())
                    .name(name)
                    .version(version)
                    .source(m.encoder().source())
                    .activation(Activation.fromHuggingFace(m.encoder().activation()))
                    .pooling(Pooling.parse(m.pooling()))
                    .maxSeqLength(seqLen)
                    .truncation(strategy)
                    .heads(trained.heads(), trained.settings())
                    .write(out);
            return trained.reports();
        }
    }

    /**
     * Trains every head without writing a bundle, e.g. to start a fine-tuning from them (the warm
     * start of {@code EncoderFineTuner}).
     */
    public TrainedHeads trainHeads() throws IOException {
        requireTasks();
        try (ModelBundle encoder = ModelBundle.load(encoderBundle, SessionSettings.defaults())) {
            int seqLen = maxLen > 0 ? maxLen : encoder.manifest().maxSeqLength();
            return trainHeads(encoder, seqLen, truncationOr(encoder.manifest()));
        }
    }

    private TrainedHeads trainHeads(ModelBundle encoder, int seqLen, Truncation strategy) {
        Map<TaskData, List<LabeledExample>> trainSets = new LinkedHashMap<>();
        Map<TaskData, List<LabeledExample>> devSets = new LinkedHashMap<>();
        for (TaskData t : tasks) {
            trainSets.put(t, sample(LabeledDatasetReader.read(t.train())));
            if (t.dev() != null) {
                devSets.put(t, LabeledDatasetReader.read(t.dev()));
            }
        }
        List<TaskHead> heads = new ArrayList<>();
        List<BundleManifest.Task> settings = new ArrayList<>();
        List<TaskReport> reports = new ArrayList<>();
        Map<String, float[]> embeddings = embedAll(encoder, seqLen, strategy, trainSets, devSets);
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
                            (System.nanoTime() - start) / 1e9,
                            report.devMacroF1()));
        }
        return new TrainedHeads(heads, settings, reports);
    }

    /**
     * All of {@code train}, or a seeded random sample of {@link #maxTrainExamples} in file order.
     */
    private List<LabeledExample> sample(List<LabeledExample> train) {
        if (train.size() <= maxTrainExamples) {
            return train;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(options.seed()));
        List<Integer> kept = new ArrayList<>(order.subList(0, maxTrainExamples));
        // Every label keeps at least one example: a dev label missing from train is an error.
        java.util.Set<String> covered = new java.util.HashSet<>();
        kept.forEach(i -> covered.addAll(train.get(i).labels()));
        for (int i = 0; i < train.size(); i++) {
            if (!covered.containsAll(train.get(i).labels())) {
                covered.addAll(train.get(i).labels());
                kept.add(i);
            }
        }
        java.util.Collections.sort(kept);
        return kept.stream().map(train::get).toList();
    }

    private TaskReport trainTask(
            TaskData t,
            List<LabeledExample> train,
            List<LabeledExample> dev,
            Map<String, float[]> embeddings,
            List<TaskHead> heads,
            List<BundleManifest.Task> settings) {
        TaskLabels taskLabels = TaskLabels.of(t, train, dev);
        if (taskLabels.multiLabel()) {
            return trainMultiLabelTask(t, taskLabels, train, dev, embeddings, heads, settings);
        }
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
                0,
                Double.NaN);
    }

    /**
     * A sigmoid head with binary cross-entropy, its per-label thresholds calibrated on dev (each
     * label's F1); without dev every label keeps 0.5.
     */
    private TaskReport trainMultiLabelTask(
            TaskData t,
            TaskLabels taskLabels,
            List<LabeledExample> train,
            List<LabeledExample> dev,
            Map<String, float[]> embeddings,
            List<TaskHead> heads,
            List<BundleManifest.Task> settings) {
        List<String> labels = taskLabels.labels();
        float[][] x = train.stream().map(e -> embeddings.get(e.text())).toArray(float[][]::new);
        boolean[][] y = taskLabels.targets(train);
        boolean hasDev = dev != null && !dev.isEmpty();
        float[][] devX =
                hasDev
                        ? dev.stream().map(e -> embeddings.get(e.text())).toArray(float[][]::new)
                        : null;
        boolean[][] devY = hasDev ? taskLabels.targets(dev) : null;
        SigmoidHeadTrainer.Trained trained;
        try (ProgressBar pb = progress("Training " + t.name(), options.epochs())) {
            trained =
                    new SigmoidHeadTrainer(options)
                            .train(
                                    x,
                                    y,
                                    devX,
                                    devY,
                                    s -> {
                                        pb.step();
                                        pb.setExtraMessage(
                                                String.format(
                                                        "loss %.4f dev macro-F1 %.3f",
                                                        s.trainLoss(), s.devMacroF1()));
                                    });
            pb.stepTo(options.epochs());
        }
        int hidden = x[0].length;
        heads.add(
                new TaskHead(
                        t.name(),
                        labels,
                        new WeightTensor(new long[] {hidden, labels.size()}, trained.kernel()),
                        new WeightTensor(new long[] {labels.size()}, trained.bias()),
                        HeadActivation.SIGMOID));
        List<Double> thresholds =
                trained.thresholds() == null
                        ? java.util.Collections.nCopies(
                                labels.size(), LabelThresholdCalibrator.DEFAULT_THRESHOLD)
                        : java.util.Arrays.stream(trained.thresholds()).boxed().toList();
        settings.add(BundleManifest.Task.multiLabel(t.name(), labels, thresholds));
        double devF1 =
                trained.curve().stream()
                        .filter(s -> s.epoch() == trained.bestEpoch())
                        .mapToDouble(SigmoidHeadTrainer.EpochStats::devMacroF1)
                        .findFirst()
                        .orElse(Double.NaN);
        log.printf(
                "%s: multi-label, %d labels, %d train / %d dev examples, best epoch %d,"
                        + " dev macro-F1 %.4f at per-label thresholds calibrated on dev%n",
                t.name(),
                labels.size(),
                train.size(),
                hasDev ? dev.size() : 0,
                trained.bestEpoch(),
                devF1);
        return new TaskReport(
                t.name(),
                labels,
                train.size(),
                hasDev ? dev.size() : 0,
                trained.bestEpoch(),
                Double.NaN,
                null,
                0,
                devF1);
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
            Truncation truncation,
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
                                .truncation(truncation)
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
