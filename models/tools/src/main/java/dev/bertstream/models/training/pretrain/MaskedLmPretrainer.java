package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenSpans;
import dev.bertstream.models.training.TrainingProgress;
import dev.bertstream.models.training.finetune.TrainingBatches;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Continued pre-training of a bundle's encoder on unlabeled text with BERT's masked-language-model
 * objective, for domains the encoder has seen little of (Gururangan et al., "Don't Stop
 * Pretraining", 2020). Writes an encoder-only bundle to fine-tune with {@code models train}.
 *
 * <pre>{@code
 * MaskedLmPretrainer.builder(Path.of("bundles/bge-small-zh"))
 *     .texts(List.of(Path.of("reviews.txt"))).options(PretrainOptions.defaults())
 *     .pretrain(Path.of("bundles/bge-small-zh-reviews"));
 * }</pre>
 *
 * <p>A few texts (2%, at most 512) are held out with fixed masks and scored before and after, so
 * the report shows whether the encoder learned the domain. The prediction head starts from random
 * weights (ONNX exports carry none), so the "before" score is that of a fresh head.
 */
@Internal
public final class MaskedLmPretrainer {

    private static final int MAX_HELD_OUT = 512;

    private final Path encoderBundle;
    private final List<Path> textFiles = new ArrayList<>();
    private PretrainOptions options = PretrainOptions.defaults();
    private SessionSettings session = SessionSettings.defaults();
    private PrintStream log = System.err;
    private String version;

    private MaskedLmPretrainer(Path encoderBundle) {
        this.encoderBundle = encoderBundle;
    }

    /** A pre-trainer of the encoder in bundle {@code encoderBundle} (its heads are dropped). */
    public static MaskedLmPretrainer builder(Path encoderBundle) {
        return new MaskedLmPretrainer(Objects.requireNonNull(encoderBundle));
    }

    /** Files of unlabeled text, one per line (TSV files: the first column). */
    public MaskedLmPretrainer texts(List<Path> files) {
        textFiles.addAll(files);
        return this;
    }

    public MaskedLmPretrainer options(PretrainOptions options) {
        this.options = Objects.requireNonNull(options);
        return this;
    }

    /** TensorFlow threads of the training session (default: all cores). */
    public MaskedLmPretrainer session(SessionSettings settings) {
        this.session = Objects.requireNonNull(settings);
        return this;
    }

    /** Where progress goes (default: standard error). */
    public MaskedLmPretrainer log(PrintStream log) {
        this.log = Objects.requireNonNull(log);
        return this;
    }

    /** The written bundle's version (default: the encoder's, suffixed {@code -mlm}). */
    public MaskedLmPretrainer version(String version) {
        this.version = version;
        return this;
    }

    /** Pre-trains and writes the encoder bundle to {@code out}. */
    public PretrainReport pretrain(Path out) throws IOException {
        if (textFiles.isEmpty()) {
            throw new IllegalStateException("No text files: add some with texts(...)");
        }
        long start = System.nanoTime();
        BundleManifest manifest;
        BertWeights encoder;
        Path tokenizerFile;
        try (ModelBundle bundle = ModelBundle.load(encoderBundle, SessionSettings.defaults())) {
            manifest = bundle.manifest();
            encoder = bundle.encoderWeights();
            tokenizerFile = bundle.tokenizerFile();
        }
        int maxLen = Math.min(options.maxLen(), encoder.config().maxPositions());
        Random random = new Random(options.seed());
        List<String> texts = new ArrayList<>(PretrainCorpus.read(textFiles));
        Collections.shuffle(texts, random);
        int heldOut = Math.min(MAX_HELD_OUT, Math.max(1, texts.size() / 50));
        if (texts.size() - heldOut < options.batchSize()) {
            throw new IllegalArgumentException(
                    "Too few texts to pre-train: "
                            + texts.size()
                            + " (need at least a batch of "
                            + options.batchSize()
                            + " besides the "
                            + heldOut
                            + " held out)");
        }
        SpecialTokens special = SpecialTokens.read(tokenizerFile);
        TokenMasker masker =
                new TokenMasker(
                        special.maskId(),
                        encoder.config().vocabSize(),
                        special.all(),
                        options.maskProbability(),
                        options.wholeWord());
        List<String> sources = new ArrayList<>();
        List<TokenSpans> tokens = new ArrayList<>();
        // Long texts are cut as the encoder bundle cuts them, so pre-training sees the tokens that
        // training and serving will.
        try (BertTokenizer tokenizer =
                BertTokenizer.fromTokenizerJson(
                        tokenizerFile, maxLen, manifest.truncationStrategy())) {
            for (String t : texts) {
                TokenSpans s = tokenizer.encodeWithSpans(t);
                if (s.tokens().length() > 2) {
                    sources.add(t);
                    tokens.add(s);
                }
            }
        }
        List<MaskedBatch> heldOutBatches = new ArrayList<>();
        Random heldOutMasks = new Random(options.seed() + 1);
        for (int from = 0; from < heldOut; from += options.batchSize()) {
            List<MaskedText> batch = new ArrayList<>();
            for (int i = from; i < Math.min(heldOut, from + options.batchSize()); i++) {
                batch.add(masker.mask(sources.get(i), tokens.get(i), heldOutMasks));
            }
            heldOutBatches.add(MaskedBatch.of(batch));
        }
        int[] trainLengths = new int[tokens.size() - heldOut];
        for (int i = 0; i < trainLengths.length; i++) {
            trainLengths[i] = tokens.get(heldOut + i).tokens().length();
        }
        int batchesPerEpoch = TrainingBatches.count(List.of(trainLengths), options.batchSize());
        long totalSteps = (long) batchesPerEpoch * options.epochs();
        Activation activation = Activation.fromHuggingFace(manifest.encoder().activation());

        Map<String, WeightTensor> trained;
        PretrainReport.Score before;
        PretrainReport.Score after;
        try (MaskedLmGraph graph = new MaskedLmGraph(encoder, activation, options, session)) {
            before = score(graph, heldOutBatches);
            log.printf(
                    "Held-out masked tokens before: loss %.3f, accuracy %.3f (%d texts)%n",
                    before.loss(), before.accuracy(), heldOut);
            long step = 0;
            try (ProgressBar bar =
                    TrainingProgress.bar(log, "MLM pre-training", totalSteps, " steps")) {
                double smoothed = Double.NaN;
                for (int epoch = 0; epoch < options.epochs(); epoch++) {
                    // Length-sorted windows, as fine-tuning batches: short texts pad little.
                    for (TrainingBatches.Batch planned :
                            TrainingBatches.plan(
                                    List.of(trainLengths), options.batchSize(), random)) {
                        List<MaskedText> batch = new ArrayList<>();
                        for (int i : planned.examples()) {
                            int idx = heldOut + i;
                            batch.add(masker.mask(sources.get(idx), tokens.get(idx), random));
                        }
                        float loss =
                                graph.step(
                                        MaskedBatch.of(batch),
                                        options.learningRateAt(step, totalSteps));
                        if (!Float.isFinite(loss)) {
                            throw new IllegalStateException(
                                    "Pre-training diverged at step " + step + ": lower --lr");
                        }
                        smoothed = Double.isNaN(smoothed) ? loss : 0.98 * smoothed + 0.02 * loss;
                        step++;
                        bar.step();
                        bar.setExtraMessage(String.format(" loss %.3f", smoothed));
                    }
                }
            }
            after = score(graph, heldOutBatches);
            trained = graph.encoderWeights();
        }
        Map<String, WeightTensor> tensors = new LinkedHashMap<>(encoder.tensors());
        tensors.putAll(trained);
        BundleWriter.builder(new BertWeights(encoder.config(), tensors), tokenizerFile)
                .name(manifest.name())
                .version(version != null ? version : manifest.version() + "-mlm")
                .source(
                        manifest.encoder().source()
                                + " (+ MLM pre-training on "
                                + trainLengths.length
                                + " texts)")
                .activation(activation)
                .pooling(Pooling.parse(manifest.pooling()))
                .maxSeqLength(manifest.maxSeqLength())
                .truncation(manifest.truncationStrategy())
                .write(out);
        PretrainReport report =
                new PretrainReport(
                        trainLengths.length,
                        totalSteps,
                        before,
                        after,
                        (System.nanoTime() - start) / 1e9);
        log.println(report.summary());
        return report;
    }

    private static PretrainReport.Score score(MaskedLmGraph graph, List<MaskedBatch> batches) {
        double lossSum = 0;
        long correct = 0;
        long predicted = 0;
        for (MaskedBatch b : batches) {
            MaskedLmGraph.Score s = graph.score(b);
            lossSum += (double) s.loss() * s.predicted();
            correct += s.correct();
            predicted += s.predicted();
        }
        return new PretrainReport.Score(lossSum / predicted, (double) correct / predicted);
    }
}
