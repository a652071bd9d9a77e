package dev.bertstream.models.training.finetune;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.Truncation;
import dev.bertstream.models.training.BundleTrainer;
import dev.bertstream.models.training.ClassWeights;
import dev.bertstream.models.training.FrozenHeadTrainer;
import dev.bertstream.models.training.HeadTrainingOptions;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.TaskData;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Fine-tunes a bundle's encoder together with one new head per task, and writes encoder + heads as
 * one bundle. Batches of the tasks interleave; the encoder learns from all of them. The dev sets
 * are scored {@code evalsPerEpoch} times per epoch and the best checkpoint (mean in-scope macro-F1
 * over tasks) is the one written; training stops after {@code patience} epochs without improvement.
 *
 * <pre>{@code
 * EncoderFineTuner.builder(Path.of("bundles/minilm"))
 *     .task(TaskData.parse("sentiment=train.tsv,dev.tsv")).options(FineTuneOptions.builder())
 *     .train(Path.of("bundles/sentiment"));
 * }</pre>
 */
@Internal
public final class EncoderFineTuner extends BundleTrainer<EncoderFineTuner> {

    private static final float HEAD_INIT_STD = 0.02f;

    private FineTuneOptions.Builder optionsBuilder = FineTuneOptions.builder();
    private FineTuneOptions fixedOptions;
    private boolean warmStart = true;
    private boolean temperature = true;
    private SessionSettings session = SessionSettings.defaults();

    private EncoderFineTuner(Path encoderBundle) {
        super(encoderBundle);
    }

    /**
     * Starts a fine-tuner of the encoder in bundle {@code encoderBundle} (its own heads are
     * ignored).
     */
    public static EncoderFineTuner builder(Path encoderBundle) {
        return new EncoderFineTuner(encoderBundle);
    }

    @Override
    protected EncoderFineTuner self() {
        return this;
    }

    /** Exactly these options: nothing is chosen from the data. */
    public EncoderFineTuner options(FineTuneOptions options) {
        this.fixedOptions = Objects.requireNonNull(options);
        return this;
    }

    /**
     * These options; epochs, peak learning rate and dev evaluations per epoch left unset are chosen
     * from the training-set size and the encoder width ({@link FineTuneDefaults}). This is what
     * {@code models train --fine-tune} uses.
     */
    public EncoderFineTuner options(FineTuneOptions.Builder options) {
        this.optionsBuilder = Objects.requireNonNull(options);
        this.fixedOptions = null;
        return this;
    }

    /**
     * Whether the heads start from heads first trained on the frozen encoder (default on): a random
     * head's large early gradients otherwise flow into the pretrained encoder and undo part of it
     * before the head is any good.
     */
    public EncoderFineTuner warmStart(boolean on) {
        this.warmStart = on;
        return this;
    }

    /**
     * Whether each head's logits are divided by a temperature fitted on dev after training (default
     * on), so its confidences match its accuracy; the class ranking does not change.
     */
    public EncoderFineTuner temperatureScaling(boolean on) {
        this.temperature = on;
        return this;
    }

    /** TensorFlow threads and device of the training session (default: all cores, CPU). */
    public EncoderFineTuner session(SessionSettings settings) {
        this.session = Objects.requireNonNull(settings);
        return this;
    }

    /** Fine-tunes and writes the bundle to {@code out}. */
    public FineTuneReport train(Path out) throws IOException {
        requireTasks();
        long start = System.nanoTime();
        BundleManifest encoderManifest;
        BertWeights encoder;
        Path tokenizerFile;
        try (ModelBundle bundle = ModelBundle.load(encoderBundle, SessionSettings.defaults())) {
            encoderManifest = bundle.manifest();
            encoder = bundle.encoderWeights();
            tokenizerFile = bundle.tokenizerFile();
        }
        int positions = encoder.config().maxSequenceLength();
        Truncation strategy = truncationOr(encoderManifest);
        List<String> why = new ArrayList<>();
        int seqLen = maxLen > 0 ? maxLen : chooseMaxTokens(tokenizerFile, positions, strategy, why);
        if (seqLen < 2 || seqLen > positions) {
            // Checked now rather than when the bundle is written, hours of training later.
            throw new IllegalArgumentException(
                    "--max-len must be between 2 and the encoder's max_position_embeddings ("
                            + positions
                            + "), got "
                            + seqLen);
        }
        List<FineTuneTask> data = new ArrayList<>();
        try (BertTokenizer tokenizer =
                BertTokenizer.fromTokenizerJson(tokenizerFile, seqLen, strategy)) {
            for (TaskData t : tasks) {
                data.add(FineTuneTask.read(t, tokenizer));
            }
        }
        int trainExamples = data.stream().mapToInt(t -> t.train().size()).sum();
        int hidden = encoder.config().hiddenSize();
        FineTuneOptions options =
                fixedOptions != null ? fixedOptions : optionsBuilder.build(trainExamples, hidden);
        logSettings(options, seqLen, trainExamples, hidden, why);
        Activation activation = Activation.fromHuggingFace(encoderManifest.encoder().activation());
        Pooling pooling = Pooling.parse(encoderManifest.pooling());
        List<TaskHead> heads =
                warmStart
                        ? warmHeads(data, hidden, seqLen, strategy, options)
                        : initialHeads(data, hidden, options);
        Map<String, float[]> classWeights = new LinkedHashMap<>();
        data.forEach(t -> classWeights.put(t.name(), classWeights(t, options)));

        FineTuneRun run;
        try (FineTuneGraph graph =
                new FineTuneGraph(
                        encoder, activation, pooling, heads, classWeights, options, session)) {
            run = new FineTuneRun(graph, data, options, log);
            run.trainAll(warmStart);
        }
        Map<String, Double> temperatures = temperature ? run.calibrateTemperatures() : Map.of();
        Map<String, WeightTensor> best = run.bestWeights();
        Map<String, WeightTensor> tensors = new LinkedHashMap<>(encoder.tensors());
        best.forEach(
                (k, v) -> {
                    if (tensors.containsKey(k)) {
                        tensors.put(k, v);
                    }
                });
        List<TaskHead> trainedHeads = new ArrayList<>();
        for (TaskHead h : heads) {
            double t = temperatures.getOrDefault(h.name(), 1.0);
            trainedHeads.add(
                    new TaskHead(
                            h.name(),
                            h.labels(),
                            divide(best.get(h.kernelName()), t),
                            divide(best.get(h.biasName()), t),
                            h.activation()));
        }
        List<BundleManifest.Task> settings = run.taskSettings();
        BundleWriter.builder(new BertWeights(encoder.config(), tensors), tokenizerFile)
                .name(name)
                .version(version)
                .source(encoderManifest.encoder().source() + " (fine-tuned)")
                .activation(activation)
                .pooling(pooling)
                .maxSeqLength(seqLen)
                .truncation(strategy)
                .heads(trainedHeads, settings)
                .write(out);
        FineTuneReport report = run.report((System.nanoTime() - start) / 1e9, settings);
        log.print(report.summary());
        return report;
    }

    /**
     * Max tokens from the training texts' token counts ({@link FineTuneDefaults#maxTokens}),
     * tokenized once up to the encoder's position limit; adds the reason to {@code why}.
     */
    private int chooseMaxTokens(
            Path tokenizerFile, int positions, Truncation strategy, List<String> why)
            throws IOException {
        List<Integer> lengths = new ArrayList<>();
        try (BertTokenizer tokenizer =
                BertTokenizer.fromTokenizerJson(tokenizerFile, positions, strategy)) {
            for (TaskData t : tasks) {
                List<String> texts =
                        LabeledDatasetReader.read(t.train()).stream()
                                .map(LabeledExample::text)
                                .toList();
                tokenizer.encodeBatch(texts).forEach(x -> lengths.add(x.length()));
            }
        }
        int[] l = lengths.stream().mapToInt(Integer::intValue).toArray();
        int chosen = FineTuneDefaults.maxTokens(l, positions);
        int p95 = FineTuneDefaults.quantile(l, FineTuneDefaults.LENGTH_QUANTILE);
        long whole = lengths.stream().filter(n -> n <= chosen).count();
        why.add(
                String.format(
                        Locale.ROOT,
                        "max tokens %d: 95%% of the %,d train texts have <= %d tokens; rounded up to"
                                + " 16, at most %d; keeps %.1f%% whole (--max-len to set)",
                        chosen,
                        l.length,
                        p95,
                        Math.min(FineTuneDefaults.MAX_CHOSEN_TOKENS, positions),
                        100.0 * whole / l.length));
        return chosen;
    }

    /** Prints what will be used, and why for what was chosen rather than given. */
    private void logSettings(
            FineTuneOptions o, int seqLen, int trainExamples, int hidden, List<String> why) {
        boolean auto = fixedOptions == null;
        log.println("Fine-tuning settings (chosen unless given; the flag in brackets sets it):");
        if (why.isEmpty()) {
            log.printf(Locale.ROOT, "  max tokens %d (given)%n", seqLen);
        } else {
            why.forEach(w -> log.println("  " + w));
        }
        log.printf(
                Locale.ROOT,
                "  epochs %d: %s (--epochs)%n",
                o.epochs(),
                auto && !optionsBuilder.hasEpochs()
                        ? String.format(
                                Locale.ROOT,
                                "about %,d examples seen over %,d train examples, 1 to %d epochs",
                                FineTuneDefaults.EXAMPLE_BUDGET,
                                trainExamples,
                                FineTuneDefaults.MAX_EPOCHS)
                        : "given");
        log.printf(
                Locale.ROOT,
                "  peak learning rate %.0e: %s (--lr)%n",
                o.learningRate(),
                auto && !optionsBuilder.hasLearningRate()
                        ? "for a " + hidden + "-wide encoder"
                        : "given");
        log.printf(
                Locale.ROOT,
                "  dev evaluations per epoch %d, the best checkpoint kept: %s (--evals-per-epoch)%n",
                o.evalsPerEpoch(),
                auto && !optionsBuilder.hasEvalsPerEpoch() ? "about 6 over the run" : "given");
        log.printf(
                Locale.ROOT,
                "  warm start %s (--no-warm-start)%n",
                warmStart
                        ? "on: heads first trained on the frozen encoder (up to "
                                + String.format(
                                        Locale.ROOT, "%,d", FineTuneDefaults.WARM_START_SAMPLE)
                                + " train texts per task), then fine-tuned with it"
                        : "off: heads start random");
        log.printf(
                Locale.ROOT,
                "  temperature scaling %s (--no-temperature)%n",
                temperature ? "on: fitted on dev after training" : "off");
        log.printf(
                Locale.ROOT,
                "  batch %d, warm-up %.0f%%, dropout %s, label smoothing %s, class weights %s, seed %d%n",
                o.batchSize(),
                o.warmupFraction() * 100,
                o.dropout(),
                o.labelSmoothing(),
                o.classWeights() ? "on" : "off",
                o.seed());
    }

    /**
     * Heads trained on the frozen encoder (embeddings of at most {@link
     * FineTuneDefaults#WARM_START_SAMPLE} train texts per task, selected on dev), their columns
     * placed in the fine-tuning label order; a label the frozen head lacks starts random.
     */
    private List<TaskHead> warmHeads(
            List<FineTuneTask> data,
            int hidden,
            int seqLen,
            Truncation strategy,
            FineTuneOptions options)
            throws IOException {
        log.println("Warm start: training the heads on the frozen encoder");
        HeadTrainingOptions d = HeadTrainingOptions.defaults();
        FrozenHeadTrainer frozen =
                FrozenHeadTrainer.builder(encoderBundle)
                        .maxLen(seqLen)
                        .truncation(strategy)
                        .maxTrainExamples(FineTuneDefaults.WARM_START_SAMPLE)
                        .options(
                                new HeadTrainingOptions(
                                        d.epochs(),
                                        d.learningRate(),
                                        d.weightDecay(),
                                        d.batchSize(),
                                        d.patience(),
                                        options.seed(),
                                        options.classWeights()))
                        .log(log);
        tasks.forEach(frozen::task);
        List<TaskHead> trained = frozen.trainHeads().heads();
        List<TaskHead> random = initialHeads(data, hidden, options);
        List<TaskHead> heads = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            heads.add(WarmStart.reorder(trained.get(i), random.get(i)));
        }
        return heads;
    }

    /** {@code w} divided by {@code t} (a head's kernel or bias under temperature {@code t}). */
    private static WeightTensor divide(WeightTensor w, double t) {
        if (t == 1.0) {
            return w;
        }
        float[] v = w.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / t);
        }
        return new WeightTensor(w.shape(), v);
    }

    /** Small random kernels and zero biases, as BERT initialises a new classifier. */
    private static List<TaskHead> initialHeads(
            List<FineTuneTask> data, int hidden, FineTuneOptions options) {
        Random random = new Random(options.seed());
        List<TaskHead> heads = new ArrayList<>();
        for (FineTuneTask t : data) {
            int k = t.labels().labels().size();
            float[] kernel = new float[hidden * k];
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = (float) random.nextGaussian() * HEAD_INIT_STD;
            }
            heads.add(
                    new TaskHead(
                            t.name(),
                            t.labels().labels(),
                            new WeightTensor(new long[] {hidden, k}, kernel),
                            new WeightTensor(new long[] {k}, new float[k]),
                            t.labels().multiLabel()
                                    ? HeadActivation.SIGMOID
                                    : HeadActivation.SOFTMAX));
        }
        return heads;
    }

    /**
     * Single-label: inverse class frequency. Multi-label: each label's positives weigh {@code
     * sqrt(negatives / positives)}, as in the frozen {@code SigmoidHeadTrainer}.
     */
    private static float[] classWeights(FineTuneTask t, FineTuneOptions options) {
        int k = t.labels().labels().size();
        float[] w = new float[k];
        if (!options.classWeights()) {
            Arrays.fill(w, 1f);
            return w;
        }
        if (t.labels().multiLabel()) {
            float[][] y = t.trainTargets();
            for (int l = 0; l < k; l++) {
                int positives = 0;
                for (float[] row : y) {
                    positives += row[l] > 0 ? 1 : 0;
                }
                w[l] =
                        positives == 0 || positives == y.length
                                ? 1f
                                : (float) Math.sqrt((double) (y.length - positives) / positives);
            }
            return w;
        }
        double[] d = ClassWeights.inverseFrequency(t.trainY(), k);
        for (int i = 0; i < k; i++) {
            w[i] = (float) d[i];
        }
        return w;
    }
}
