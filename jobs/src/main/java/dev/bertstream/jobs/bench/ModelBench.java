package dev.bertstream.jobs.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.inference.BatchPlanner;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.weights.BertConfig;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the batched predictor, ONNX Runtime on the original ONNX file, and the per-record pattern (one session
 * call per text) on the same texts, and reports throughput against the measured matmul peak.
 */
final class ModelBench {

    private final ModelBundle bundle;
    private final Path onnxFile;
    private final double peakGflops;
    private final double minSeconds;

    ModelBench(ModelBundle bundle, Path onnxFile, double peakGflops, double minSeconds) {
        this.bundle = bundle;
        this.onnxFile = onnxFile;
        this.peakGflops = peakGflops;
        this.minSeconds = minSeconds;
    }

    /** The batched TensorFlow predictor, tokenization included. */
    BenchResult tensorflow(String workload, List<String> texts, int batchSize, boolean grouped, int maxLen) {
        try (BatchPredictor p = BatchPredictor.builder(bundle).maxSeqLength(maxLen).maxBatchSize(batchSize)
                .maxBatchTokens(batchSize * maxLen).groupByLength(grouped).build()) {
            double flopsPerPass = flops(p.tokenizer().encodeBatch(texts), batchSize, grouped, maxLen);
            p.predict(texts.subList(0, Math.min(texts.size(), batchSize)));
            long real = 0;
            long computed = 0;
            int passes = 0;
            long start = System.nanoTime();
            do {
                var stats = p.predict(texts).stats();
                real += stats.realTokens();
                computed += stats.computedTokens();
                passes++;
            } while (System.nanoTime() - start < minSeconds * 1e9);
            return result(workload, "tensorflow", batchSize, grouped, texts.size(), passes, System.nanoTime() - start,
                    real, computed, flopsPerPass);
        }
    }

    /** One tokenize + session call per text, as per-record Flink map functions do. */
    BenchResult perRecord(String workload, List<String> texts, int maxLen) {
        try (BatchPredictor p = BatchPredictor.builder(bundle).maxSeqLength(maxLen).maxBatchSize(1).build()) {
            double flopsPerPass = flops(p.tokenizer().encodeBatch(texts), 1, false, maxLen);
            p.predict(List.of(texts.get(0)));
            long real = 0;
            int passes = 0;
            long start = System.nanoTime();
            do {
                for (String t : texts) {
                    real += p.predict(List.of(t)).stats().realTokens();
                }
                passes++;
            } while (System.nanoTime() - start < minSeconds * 1e9);
            return result(workload, "per-record", 1, false, texts.size(), passes, System.nanoTime() - start, real, real,
                    flopsPerPass);
        }
    }

    /** ONNX Runtime Java on the original ONNX file, same token ids and batching (tokenization included). */
    BenchResult onnxRuntime(String workload, List<String> texts, int batchSize, boolean grouped, int maxLen) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (BatchPredictor p = BatchPredictor.builder(bundle).maxSeqLength(maxLen).build();
                OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(onnxFile.toString(), opts)) {
                BatchPlanner planner = new BatchPlanner(batchSize, batchSize * maxLen, grouped);
                double flopsPerPass = flops(p.tokenizer().encodeBatch(texts), batchSize, grouped, maxLen);
                long real = 0;
                long computed = 0;
                int passes = 0;
                long start = 0;
                for (int warm = 1; warm >= 0; warm--) {
                    start = System.nanoTime();
                    do {
                        List<TokenizedText> enc = p.tokenizer().encodeBatch(texts);
                        int[] lengths = enc.stream().mapToInt(TokenizedText::length).toArray();
                        for (int[] batch : planner.plan(lengths)) {
                            int width = 0;
                            for (int i : batch) {
                                width = Math.max(width, lengths[i]);
                                real += warm == 0 ? lengths[i] : 0;
                            }
                            computed += warm == 0 ? (long) width * batch.length : 0;
                            runOrt(env, session, enc, batch, width);
                        }
                        passes += warm == 0 ? 1 : 0;
                    } while (warm == 0 && System.nanoTime() - start < minSeconds * 1e9);
                }
                return result(workload, "onnxruntime", batchSize, grouped, texts.size(), passes, System.nanoTime() - start,
                        real, computed, flopsPerPass);
            }
        }
    }

    private static void runOrt(OrtEnvironment env, OrtSession s, List<TokenizedText> enc, int[] batch, int width)
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
                OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            r.get(0).getValue();
        }
    }

    private double flops(List<TokenizedText> encoded, int batchSize, boolean grouped, int maxLen) {
        BertConfig c = bundle.manifest().encoder().config();
        int[] lengths = encoded.stream().mapToInt(TokenizedText::length).toArray();
        double total = 0;
        for (int[] batch : new BatchPlanner(batchSize, batchSize * maxLen, grouped).plan(lengths)) {
            int width = 0;
            for (int i : batch) {
                width = Math.max(width, lengths[i]);
            }
            total += BertFlops.forward(c, batch.length, width);
        }
        return total;
    }

    private BenchResult result(String workload, String engine, int batchSize, boolean grouped, int texts, int passes,
            long nanos, long real, long computed, double flopsPerPass) {
        double seconds = nanos / 1e9;
        double gflops = flopsPerPass * passes / seconds / 1e9;
        return new BenchResult(workload, engine, batchSize, grouped, texts * (double) passes / seconds, real / seconds,
                computed == 0 ? 1 : (double) real / computed, gflops, gflops / peakGflops);
    }
}
