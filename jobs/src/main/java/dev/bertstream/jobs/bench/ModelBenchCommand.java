package dev.bertstream.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench model}: model-only throughput of all-MiniLM-L6-v2 against peers and the matmul peak. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Measure sequences/s, tokens/s, padding efficiency and FLOP/s utilisation of the batched "
                + "predictor on all-MiniLM-L6-v2, next to ONNX Runtime Java and the per-record pattern.")
final class ModelBenchCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "target/bench",
            description = "Directory for results.json, results.md and PNG plots. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--seconds", defaultValue = "3", description = "Minimum seconds per configuration. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(names = "--texts", defaultValue = "512", description = "Chat-mix texts per pass. Default: ${DEFAULT-VALUE}.")
    int texts;

    @Option(names = "--quick", description = "A few configurations only (a smoke run).")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        System.err.println("Measuring the TensorFlow matmul peak (2048x2048 fp32) ...");
        double peak = MatmulPeak.measure(2048, quick ? 3 : 20);
        System.err.printf("peak %.1f GFLOP/s%n", peak);

        PretrainedEncoder.Extracted files = PretrainedEncoder.MINILM_L6.resolve(PretrainedEncoder.cacheDirectory().resolve("pretrained"));
        ImportedEncoder enc = OnnxBertImporter.importFile(files.onnx(), files.tokenizerJson(), "bench");
        Path bundleDir = out.resolve("minilm-bundle");
        BundleWriter.builder(enc.weights(), enc.tokenizerFile()).name("minilm-bench").maxSeqLength(512).write(bundleDir);

        List<BenchResult> results = new ArrayList<>();
        try (ModelBundle bundle = ModelBundle.load(bundleDir, SessionSettings.defaults())) {
            ModelBench bench = new ModelBench(bundle, files.onnx(), peak, seconds);
            List<String> chat = BenchTexts.chatMix(texts, 7);
            int[] sizes = quick ? new int[] {1, 64} : new int[] {1, 8, 32, 64, 128, 256};
            for (int b : sizes) {
                results.add(report(bench.tensorflow("chat-mix", chat, b, true, 128)));
                results.add(report(bench.tensorflow("chat-mix", chat, b, false, 128)));
            }
            results.add(report(bench.onnxRuntime("chat-mix", chat, 1, false, 128)));
            results.add(report(bench.onnxRuntime("chat-mix", chat, 64, true, 128)));
            results.add(report(bench.perRecord("chat-mix", chat.subList(0, Math.min(chat.size(), 128)), 128)));
            for (int len : quick ? new int[] {32} : new int[] {32, 128, 512}) {
                int n = len == 512 ? 64 : 256;
                for (int b : quick ? new int[] {32} : new int[] {1, 32, 128}) {
                    results.add(report(bench.tensorflow("fixed-" + len, BenchTexts.fixedLength(n, len), Math.min(b, n), false, len)));
                }
                results.add(report(bench.onnxRuntime("fixed-" + len, BenchTexts.fixedLength(n, len), 32, false, len)));
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(),
                new BenchReport(peak, Runtime.getRuntime().availableProcessors(), results));
        StringBuilder md = new StringBuilder(String.format("matmul peak: %.1f GFLOP/s (%d cores)%n%n%s%n", peak,
                Runtime.getRuntime().availableProcessors(), BenchResult.header()));
        results.forEach(r -> md.append(r.row()).append('\n'));
        Files.writeString(out.resolve("results.md"), md);
        BenchPlots.throughputByBatchSize(results, out.resolve("throughput-vs-batch.png"));
        System.out.println(md);
        return 0;
    }

    private static BenchResult report(BenchResult r) {
        System.err.println(r.row());
        return r;
    }

    /** What results.json holds. */
    record BenchReport(double peakGflops, int cores, List<BenchResult> results) {}
}
