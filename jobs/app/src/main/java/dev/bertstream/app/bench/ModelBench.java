package dev.bertstream.app.bench;

import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.inference.BatchPlanner;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.BatchStats;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.weights.BertConfig;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the batched predictor, ONNX Runtime on the original ONNX file and on its int8 export, and
 * the per-record pattern (one session call per text) on the same texts, and reports throughput
 * against the measured matmul peak.
 *
 * <p>Every number includes tokenization. A configuration is warmed up on its first batches, then
 * timed over whole passes over its texts until at least {@code minSeconds} have passed.
 */
final class ModelBench implements AutoCloseable {

    private final ModelBundle bundle;
    private final Path onnxFile;
    private final double peakGflops;
    private final double minSeconds;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession ort;
    private final OrtSession ortInt8;

    /**
     * @param onnxFile the original (float32) ONNX file {@code bundle} was imported from
     * @param int8OnnxFile ONNX Runtime's int8 export of the same model
     */
    ModelBench(
            ModelBundle bundle,
            Path onnxFile,
            Path int8OnnxFile,
            double peakGflops,
            double minSeconds)
            throws Exception {
        this.bundle = bundle;
        this.onnxFile = onnxFile;
        this.peakGflops = peakGflops;
        this.minSeconds = minSeconds;
        this.ort = ortSession(onnxFile);
        this.ortInt8 = ortSession(int8OnnxFile);
    }

    private OrtSession ortSession(Path file) throws Exception {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            // ONNX Runtime's best settings: all graph optimisations, its default thread pool (all
            // cores).
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(file.toString(), opts);
        }
    }

    /**
     * The batched TensorFlow predictor on {@code model} (float32 or bfloat16 session), tokenization
     * included.
     */
    BenchResult tensorflow(
            String workload,
            String engine,
            ModelBundle model,
            List<String> texts,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int maxLen) {
        return tensorflow(
                workload,
                engine,
                model,
                texts,
                batchSize,
                maxTokens,
                grouped,
                BatchPlanner.DEFAULT_CALL_COST_TOKENS,
                maxLen);
    }

    /** As above, with the planner's call cost ({@code 0}: greedy cuts at the size limits). */
    BenchResult tensorflow(
            String workload,
            String engine,
            ModelBundle model,
            List<String> texts,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int callCost,
            int maxLen) {
        return tensorflow(
                workload,
                engine,
                model,
                texts,
                batchSize,
                maxTokens,
                grouped,
                callCost,
                maxLen,
                BatchPredictor.defaultWidthMultiple());
    }

    /** As above, padding batch widths to a multiple of {@code widthMultiple} (1: none). */
    BenchResult tensorflow(
            String workload,
            String engine,
            ModelBundle model,
            List<String> texts,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int callCost,
            int maxLen,
            int widthMultiple) {
        try (BatchPredictor p =
                BatchPredictor.builder(model)
                        .maxSeqLength(maxLen)
                        .maxBatchSize(batchSize)
                        .maxBatchTokens(maxTokens)
                        .groupByLength(grouped)
                        .callCostTokens(callCost)
                        .padWidthTo(widthMultiple)
                        .build()) {
            double flopsPerPass =
                    flops(
                            model.manifest().encoder().config(),
                            p.tokenizer().encodeBatch(texts),
                            batchSize,
                            maxTokens,
                            grouped,
                            callCost);
            p.predict(texts.subList(0, Math.min(texts.size(), 2 * batchSize)));
            long real = 0;
            long computed = 0;
            long tokenize = 0;
            int passes = 0;
            long start = System.nanoTime();
            do {
                BatchStats stats = p.predict(texts).stats();
                real += stats.realTokens();
                computed += stats.computedTokens();
                tokenize += stats.tokenizeNanos();
                passes++;
            } while (System.nanoTime() - start < minSeconds * 1e9);
            return result(
                    workload,
                    engine,
                    batchSize,
                    grouped,
                    texts.size(),
                    passes,
                    System.nanoTime() - start,
                    real,
                    computed,
                    flopsPerPass,
                    tokenize);
        }
    }

    /** One tokenize + session call per text, as per-record Flink map functions do. */
    BenchResult perRecord(String workload, List<String> texts, int maxLen) {
        try (BatchPredictor p =
                BatchPredictor.builder(bundle).maxSeqLength(maxLen).maxBatchSize(1).build()) {
            double flopsPerPass =
                    flops(config(), p.tokenizer().encodeBatch(texts), 1, maxLen, false, 0);
            for (int i = 0; i < Math.min(texts.size(), 16); i++) {
                p.predict(List.of(texts.get(i)));
            }
            long real = 0;
            long tokenize = 0;
            int passes = 0;
            long start = System.nanoTime();
            do {
                for (String t : texts) {
                    BatchStats stats = p.predict(List.of(t)).stats();
                    real += stats.realTokens();
                    tokenize += stats.tokenizeNanos();
                }
                passes++;
            } while (System.nanoTime() - start < minSeconds * 1e9);
            return result(
                    workload,
                    "per-record",
                    1,
                    false,
                    texts.size(),
                    passes,
                    System.nanoTime() - start,
                    real,
                    real,
                    flopsPerPass,
                    tokenize);
        }
    }

    /**
     * Where one per-record call's time goes: tokenizing one text, the session call (tensor
     * creation, run, result copy), and the session call for a 2-token input, which is the fixed
     * cost of any call.
     */
    PerCallCost perCallCost(List<String> texts, int maxLen) {
        return perCallCost(bundle, texts, maxLen, BatchPredictor.defaultWidthMultiple());
    }

    /**
     * As above, on {@code model} with batch widths padded to a multiple of {@code widthMultiple}.
     */
    PerCallCost perCallCost(ModelBundle model, List<String> texts, int maxLen, int widthMultiple) {
        try (BatchPredictor p =
                BatchPredictor.builder(model)
                        .maxSeqLength(maxLen)
                        .maxBatchSize(1)
                        .padWidthTo(widthMultiple)
                        .build()) {
            List<TokenizedText> tiny =
                    List.of(new TokenizedText(new int[] {101, 102}, new int[2], false));
            for (int i = 0; i < 20; i++) {
                p.predictEncoded(tiny);
                p.predict(List.of(texts.get(i % texts.size())));
            }
            long tokenize = 0;
            long session = 0;
            for (String t : texts) {
                BatchStats s = p.predict(List.of(t)).stats();
                tokenize += s.tokenizeNanos();
                session += s.inferenceNanos();
            }
            long tinyBest = Long.MAX_VALUE;
            long tinyTotal = 0;
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                p.predictEncoded(tiny);
                long dt = System.nanoTime() - t0;
                tinyTotal += dt;
                tinyBest = Math.min(tinyBest, dt);
            }
            return new PerCallCost(
                    tokenize / 1e6 / texts.size(),
                    session / 1e6 / texts.size(),
                    tinyTotal / 1e6 / 200,
                    tinyBest / 1e6);
        }
    }

    /**
     * Milliseconds per per-record call: tokenizing, the session call, and a 2-token session call
     * (mean, best).
     */
    record PerCallCost(
            double tokenizeMs, double sessionMs, double emptyCallMs, double emptyCallBestMs) {}

    /**
     * Smallest cosine similarity and mean of the embeddings of {@code other} against this bench's
     * bundle.
     */
    double[] embeddingAgreement(ModelBundle other, List<String> texts, int maxLen) {
        try (BatchPredictor a =
                        BatchPredictor.builder(bundle)
                                .maxSeqLength(maxLen)
                                .includeEmbedding(true)
                                .build();
                BatchPredictor b =
                        BatchPredictor.builder(other)
                                .maxSeqLength(maxLen)
                                .includeEmbedding(true)
                                .build()) {
            List<Prediction> pa = a.predict(texts).predictions();
            List<Prediction> pb = b.predict(texts).predictions();
            double min = 1;
            double sum = 0;
            for (int i = 0; i < pa.size(); i++) {
                double c = cosine(pa.get(i).embedding(), pb.get(i).embedding());
                min = Math.min(min, c);
                sum += c;
            }
            return new double[] {min, sum / pa.size()};
        }
    }

    private static double cosine(float[] x, float[] y) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * (double) y[i];
            nx += x[i] * (double) x[i];
            ny += y[i] * (double) y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }

    /**
     * ONNX Runtime Java on the original ONNX file, same token ids and batching (tokenization
     * included).
     */
    BenchResult onnxRuntime(
            String workload,
            List<String> texts,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int maxLen)
            throws Exception {
        return onnxRuntime(
                workload, "onnxruntime", ort, texts, batchSize, maxTokens, grouped, maxLen);
    }

    /** As above, on ONNX Runtime's int8 export of the model. */
    BenchResult onnxRuntimeInt8(
            String workload,
            List<String> texts,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int maxLen)
            throws Exception {
        return onnxRuntime(
                workload,
                "onnxruntime-int8",
                ortInt8,
                texts,
                batchSize,
                maxTokens,
                grouped,
                maxLen);
    }

    private BenchResult onnxRuntime(
            String workload,
            String engine,
            OrtSession session,
            List<String> texts,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int maxLen)
            throws Exception {
        try (BatchPredictor p = BatchPredictor.builder(bundle).maxSeqLength(maxLen).build()) {
            BatchPlanner planner = new BatchPlanner(batchSize, maxTokens, grouped);
            double flopsPerPass =
                    flops(
                            config(),
                            p.tokenizer().encodeBatch(texts),
                            batchSize,
                            maxTokens,
                            grouped,
                            BatchPlanner.DEFAULT_CALL_COST_TOKENS);
            long real = 0;
            long computed = 0;
            long tokenize = 0;
            int passes = 0;
            long start = 0;
            for (int warm = 1; warm >= 0; warm--) {
                start = System.nanoTime();
                do {
                    List<String> pass =
                            warm == 1
                                    ? texts.subList(0, Math.min(texts.size(), 2 * batchSize))
                                    : texts;
                    long t0 = System.nanoTime();
                    List<TokenizedText> enc = p.tokenizer().encodeBatch(pass);
                    tokenize += warm == 0 ? System.nanoTime() - t0 : 0;
                    int[] lengths = enc.stream().mapToInt(TokenizedText::length).toArray();
                    for (int[] batch : planner.plan(lengths)) {
                        int width = 0;
                        for (int i : batch) {
                            width = Math.max(width, lengths[i]);
                            real += warm == 0 ? lengths[i] : 0;
                        }
                        computed += warm == 0 ? (long) width * batch.length : 0;
                        runOrt(session, enc, batch, width);
                    }
                    passes += warm == 0 ? 1 : 0;
                } while (warm == 0 && System.nanoTime() - start < minSeconds * 1e9);
            }
            return result(
                    workload,
                    engine,
                    batchSize,
                    grouped,
                    texts.size(),
                    passes,
                    System.nanoTime() - start,
                    real,
                    computed,
                    flopsPerPass,
                    tokenize);
        }
    }

    private void runOrt(OrtSession session, List<TokenizedText> enc, int[] batch, int width)
            throws Exception {
        long[] ids = new long[batch.length * width];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int r = 0; r < batch.length; r++) {
            TokenizedText t = enc.get(batch[r]);
            for (int j = 0; j < t.length(); j++) {
                ids[r * width + j] = t.inputIds()[j];
                types[r * width + j] = t.typeIds()[j];
                mask[r * width + j] = 1;
            }
        }
        long[] shape = {batch.length, width};
        try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
                OrtSession.Result r =
                        session.run(
                                Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            // The model's only output is last_hidden_state; copy it out as a caller would.
            r.get(0).getValue();
        }
    }

    /**
     * Real over computed tokens when {@code lengths} are planned with these settings (no timing).
     */
    static double paddingEfficiency(int[] lengths, int batchSize, int maxTokens, int callCost) {
        long real = 0;
        long computed = 0;
        for (int[] batch : new BatchPlanner(batchSize, maxTokens, true, callCost).plan(lengths)) {
            int width = 0;
            for (int i : batch) {
                width = Math.max(width, lengths[i]);
                real += lengths[i];
            }
            computed += (long) width * batch.length;
        }
        return (double) real / computed;
    }

    private BertConfig config() {
        return bundle.manifest().encoder().config();
    }

    /** Encoder FLOPs of one pass of {@code encoded} planned with these settings. */
    private double flops(
            BertConfig c,
            List<TokenizedText> encoded,
            int batchSize,
            int maxTokens,
            boolean grouped,
            int callCost) {
        int[] lengths = encoded.stream().mapToInt(TokenizedText::length).toArray();
        double total = 0;
        for (int[] batch :
                new BatchPlanner(batchSize, maxTokens, grouped, callCost).plan(lengths)) {
            int width = 0;
            for (int i : batch) {
                width = Math.max(width, lengths[i]);
            }
            total += BertFlops.forward(c, batch.length, width);
        }
        return total;
    }

    private BenchResult result(
            String workload,
            String engine,
            int batchSize,
            boolean grouped,
            int texts,
            int passes,
            long nanos,
            long real,
            long computed,
            double flopsPerPass,
            long tokenizeNanos) {
        double seconds = nanos / 1e9;
        double gflops = flopsPerPass * passes / seconds / 1e9;
        return new BenchResult(
                workload,
                engine,
                batchSize,
                grouped,
                texts * (double) passes / seconds,
                real / seconds,
                computed == 0 ? 1 : (double) real / computed,
                gflops,
                gflops / peakGflops,
                (double) tokenizeNanos / nanos,
                LoadAverage.oneMinute());
    }

    @Override
    public void close() throws Exception {
        ort.close();
        ortInt8.close();
    }
}
