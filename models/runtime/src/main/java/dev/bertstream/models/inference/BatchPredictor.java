package dev.bertstream.models.inference;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.OneDnnSupport;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.tokenizer.Truncation;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classifies many texts with a loaded bundle: tokenizes, groups by length, pads each batch only to
 * its own longest sequence, runs one session call per batch, and returns every task's label and
 * class probabilities. Thread-safe: one instance may serve all threads of a JVM.
 *
 * <pre>{@code
 * try (BatchPredictor p = BatchPredictor.builder(bundle).maxBatchSize(64).build()) {
 *     List<Prediction> out = p.predict(List.of("my card was charged twice")).predictions();
 * }
 * }</pre>
 */
@PublicEvolving
public final class BatchPredictor implements AutoCloseable {

    private final ModelBundle bundle;
    private final BertTokenizer tokenizer;
    private final BatchPlanner planner;

    /**
     * Batch widths are rounded up to a multiple of this where TensorFlow runs oneDNN, whose kernels
     * (primitives) are cached per shape.
     */
    public static final int ONEDNN_WIDTH_MULTIPLE = 8;

    /**
     * The default width multiple: {@value #ONEDNN_WIDTH_MULTIPLE} where TensorFlow runs oneDNN, 1
     * (no rounding) under Eigen, which caches nothing per shape, so the extra columns are only
     * extra work (on the chat mix they cost 11% of computed tokens: padding 0.972 → 0.868).
     */
    public static int defaultWidthMultiple() {
        return OneDnnSupport.enabled() ? ONEDNN_WIDTH_MULTIPLE : 1;
    }

    private final boolean includeEmbedding;
    private final List<BundleManifest.Task> tasks;
    private final Map<String, String> probabilityTensors = new LinkedHashMap<>();
    private final String idsTensor;
    private final String maskTensor;
    private final String typesTensor;
    private final String embeddingTensor;
    private final int widthMultiple;
    private final int maxWidth;

    private BatchPredictor(Builder b) {
        this.bundle = b.bundle;
        this.tokenizer =
                BertTokenizer.fromTokenizerJson(
                        bundle.tokenizerFile(),
                        b.maxSeqLength > 0 ? b.maxSeqLength : bundle.manifest().maxSeqLength(),
                        // Serve as the bundle was trained: the same tokens of a long text.
                        b.truncation != null
                                ? b.truncation
                                : bundle.manifest().truncationStrategy());
        this.planner =
                new BatchPlanner(
                        b.maxBatchSize, b.maxBatchTokens, b.groupByLength, b.callCostTokens);
        // An encoder-only bundle has nothing to return but the embedding.
        this.includeEmbedding = b.includeEmbedding || bundle.manifest().tasks().isEmpty();
        this.tasks = bundle.manifest().tasks();
        for (BundleManifest.Task t : tasks) {
            probabilityTensors.put(
                    t.name(), bundle.tensorName(SignatureNames.probabilities(t.name())));
        }
        this.idsTensor = bundle.tensorName(SignatureNames.INPUT_IDS);
        this.maskTensor = bundle.tensorName(SignatureNames.ATTENTION_MASK);
        this.typesTensor = bundle.tensorName(SignatureNames.TOKEN_TYPE_IDS);
        this.embeddingTensor = bundle.tensorName(SignatureNames.EMBEDDING);
        this.widthMultiple = b.widthMultiple;
        this.maxWidth = bundle.manifest().encoder().config().maxSequenceLength();
    }

    /** Starts a predictor over a loaded bundle; the bundle stays owned by the caller. */
    public static Builder builder(ModelBundle bundle) {
        return new Builder(bundle);
    }

    /** The bundle's manifest (name, version, tasks). */
    public BundleManifest manifest() {
        return bundle.manifest();
    }

    /** The tokenizer, configured with the bundle's max sequence length and truncation. */
    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    /** Classifies {@code texts}; results are in input order. */
    public BatchResult predict(List<String> texts) {
        long t0 = System.nanoTime();
        List<TokenizedText> encoded = tokenizer.encodeBatch(texts);
        long t1 = System.nanoTime();
        BatchResult result = predictEncoded(encoded);
        BatchStats s = result.stats();
        return new BatchResult(
                result.predictions(),
                new BatchStats(
                        s.texts(),
                        s.sessionCalls(),
                        s.realTokens(),
                        s.computedTokens(),
                        t1 - t0,
                        s.inferenceNanos()));
    }

    /** Classifies already tokenized texts (lets callers tokenize off the inference thread). */
    public BatchResult predictEncoded(List<TokenizedText> encoded) {
        int[] lengths = new int[encoded.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = encoded.get(i).inputIds().length;
        }
        Prediction[] out = new Prediction[encoded.size()];
        long realTokens = 0;
        long computedTokens = 0;
        long inferenceNanos = 0;
        List<int[]> batches = planner.plan(lengths);
        for (int[] batch : batches) {
            for (int idx : batch) {
                realTokens += lengths[idx];
            }
            long start = System.nanoTime();
            computedTokens += runBatch(encoded, batch, out);
            inferenceNanos += System.nanoTime() - start;
        }
        return new BatchResult(
                Arrays.asList(out),
                new BatchStats(
                        encoded.size(),
                        batches.size(),
                        realTokens,
                        computedTokens,
                        0,
                        inferenceNanos));
    }

    /** Runs one session call; returns the tokens it computed, padding included. */
    private long runBatch(List<TokenizedText> encoded, int[] batch, Prediction[] out) {
        int rows = batch.length;
        PaddedBatch padded = PaddedBatch.of(encoded, batch, widthMultiple, maxWidth);
        try (PaddedBatch.Tensors in = padded.tensors()) {
            Session.Runner runner =
                    in.feed(bundle.session().runner(), idsTensor, maskTensor, typesTensor);
            probabilityTensors.values().forEach(runner::fetch);
            if (includeEmbedding) {
                runner.fetch(embeddingTensor);
            }
            try (Result result = runner.run()) {
                List<float[][]> perTask = new ArrayList<>();
                for (int k = 0; k < tasks.size(); k++) {
                    perTask.add(PaddedBatch.rows((TFloat32) result.get(k)));
                }
                float[][] embeddings =
                        includeEmbedding
                                ? PaddedBatch.rows((TFloat32) result.get(tasks.size()))
                                : null;
                for (int r = 0; r < rows; r++) {
                    TokenizedText t = encoded.get(batch[r]);
                    Map<String, TaskPrediction> taskResults = new LinkedHashMap<>();
                    for (int k = 0; k < tasks.size(); k++) {
                        taskResults.put(
                                tasks.get(k).name(), decide(tasks.get(k), perTask.get(k)[r]));
                    }
                    out[batch[r]] =
                            new Prediction(
                                    taskResults,
                                    t.inputIds().length,
                                    t.truncated(),
                                    embeddings == null ? null : embeddings[r]);
                }
            }
        }
        return padded.computedTokens();
    }

    /**
     * Softmax: picks the top class, or the task's abstain label when the model is not confident
     * enough. Sigmoid: assigns every label at or above its threshold (see {@link TaskPrediction}).
     */
    static TaskPrediction decide(BundleManifest.Task task, float[] probabilities) {
        int best = TopClass.of(probabilities);
        if (task.multiLabel()) {
            List<LabelScore> assigned = new ArrayList<>();
            for (int i = 0; i < probabilities.length; i++) {
                if (probabilities[i] >= task.threshold(i)) {
                    assigned.add(new LabelScore(task.labels().get(i), probabilities[i]));
                }
            }
            assigned.sort(Comparator.comparingDouble(LabelScore::score).reversed());
            return new TaskPrediction(
                    assigned.isEmpty() ? TaskPrediction.NO_LABEL : assigned.get(0).label(),
                    probabilities[best],
                    task.labels(),
                    probabilities,
                    assigned);
        }
        String label = task.labels().get(best);
        if (task.abstainThreshold() != null && probabilities[best] < task.abstainThreshold()) {
            return new TaskPrediction(
                    task.abstainLabel(),
                    probabilities[best],
                    task.labels(),
                    probabilities,
                    List.of());
        }
        return new TaskPrediction(label, probabilities[best], task.labels(), probabilities);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** Knobs of a {@link BatchPredictor}. */
    public static final class Builder {
        private final ModelBundle bundle;
        private int maxBatchSize = 64;
        private int maxBatchTokens = 64 * 128;
        private boolean groupByLength = true;
        private int callCostTokens = BatchPlanner.DEFAULT_CALL_COST_TOKENS;
        private boolean includeEmbedding;
        private int maxSeqLength;
        private Truncation truncation;
        private int widthMultiple = defaultWidthMultiple();

        private Builder(ModelBundle bundle) {
            this.bundle = Objects.requireNonNull(bundle, "bundle");
        }

        /** Most texts per session call (default 64). */
        public Builder maxBatchSize(int n) {
            this.maxBatchSize = n;
            return this;
        }

        /** Most padded tokens per session call (default 8192). */
        public Builder maxBatchTokens(int n) {
            this.maxBatchTokens = n;
            return this;
        }

        /** Sort texts by token count before batching, so batches pad little (default on). */
        public Builder groupByLength(boolean on) {
            this.groupByLength = on;
            return this;
        }

        /**
         * With length grouping, the fixed cost of a session call in tokens, which decides where
         * sorted texts are cut into batches (default {@value
         * BatchPlanner#DEFAULT_CALL_COST_TOKENS}); 0 cuts greedily at the size limits only. See
         * {@link BatchPlanner}.
         */
        public Builder callCostTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("call cost must be >= 0 tokens, got " + tokens);
            }
            this.callCostTokens = tokens;
            return this;
        }

        /** Also return the pooled embedding of every text (default off). */
        public Builder includeEmbedding(boolean on) {
            this.includeEmbedding = on;
            return this;
        }

        /**
         * Tokens per text, overriding the bundle's max sequence length (at most the encoder's
         * positions).
         */
        public Builder maxSeqLength(int n) {
            int limit = bundle.manifest().encoder().config().maxSequenceLength();
            if (n < 2 || n > limit) {
                throw new IllegalArgumentException(
                        "max sequence length must be between 2 and " + limit + ", got " + n);
            }
            this.maxSeqLength = n;
            return this;
        }

        /**
         * Which tokens of a longer text are kept, overriding the bundle's strategy: for trainers
         * that embed texts with the strategy the new bundle will record.
         */
        public Builder truncation(Truncation truncation) {
            this.truncation = Objects.requireNonNull(truncation);
            return this;
        }

        /**
         * Pads every batch to a multiple of this many tokens (1 pads to the longest text only), so
         * oneDNN reuses its kernels across batches instead of creating one for every width.
         * Default: {@link #defaultWidthMultiple()}. Predictions change only by float rounding.
         */
        public Builder padWidthTo(int multiple) {
            if (multiple < 1) {
                throw new IllegalArgumentException("width multiple must be >= 1, got " + multiple);
            }
            this.widthMultiple = multiple;
            return this;
        }

        public BatchPredictor build() {
            return new BatchPredictor(this);
        }
    }
}
