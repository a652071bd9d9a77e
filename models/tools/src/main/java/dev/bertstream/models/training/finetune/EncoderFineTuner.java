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
 *     .task(TaskData.parse("sentiment=train.tsv,dev.tsv")).options(FineTuneOptions.defaults())
 *     .train(Path.of("bundles/sentiment"));
 * }</pre>
 */
@Internal
public final class EncoderFineTuner extends BundleTrainer<EncoderFineTuner> {

    private static final float HEAD_INIT_STD = 0.02f;

    private FineTuneOptions options = FineTuneOptions.defaults();
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

    public EncoderFineTuner options(FineTuneOptions options) {
        this.options = Objects.requireNonNull(options);
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
        int seqLen = maxLen > 0 ? maxLen : encoderManifest.maxSeqLength();
        int positions = encoder.config().maxSequenceLength();
        if (seqLen < 2 || seqLen > positions) {
            // Checked now rather than when the bundle is written, hours of training later.
            throw new IllegalArgumentException(
                    "--max-len must be between 2 and the encoder's max_position_embeddings ("
                            + positions
                            + "), got "
                            + seqLen);
        }
        Truncation strategy = truncationOr(encoderManifest);
        List<FineTuneTask> data = new ArrayList<>();
        try (BertTokenizer tokenizer =
                BertTokenizer.fromTokenizerJson(tokenizerFile, seqLen, strategy)) {
            for (TaskData t : tasks) {
                data.add(FineTuneTask.read(t, tokenizer));
            }
        }
        Activation activation = Activation.fromHuggingFace(encoderManifest.encoder().activation());
        Pooling pooling = Pooling.parse(encoderManifest.pooling());
        List<TaskHead> heads = initialHeads(data, encoder.config().hiddenSize());
        Map<String, float[]> classWeights = new LinkedHashMap<>();
        data.forEach(t -> classWeights.put(t.name(), classWeights(t)));

        FineTuneRun run;
        try (FineTuneGraph graph =
                new FineTuneGraph(
                        encoder, activation, pooling, heads, classWeights, options, session)) {
            run = new FineTuneRun(graph, data, options, log);
            run.trainAll();
        }
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
            trainedHeads.add(
                    new TaskHead(
                            h.name(),
                            h.labels(),
                            best.get(h.kernelName()),
                            best.get(h.biasName()),
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

    /** Small random kernels and zero biases, as BERT initialises a new classifier. */
    private List<TaskHead> initialHeads(List<FineTuneTask> data, int hidden) {
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
    private float[] classWeights(FineTuneTask t) {
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
