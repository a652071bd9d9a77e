package dev.bertstream.app.bench;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.OneDnnSupport;
import dev.bertstream.models.bundle.Precision;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.inference.BatchPlanner;
import dev.bertstream.models.inference.SessionProfile;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench model}: model-only throughput of all-MiniLM-L6-v2 against peers and the matmul peak.
 */
@Command(
        name = "model",
        mixinStandardHelpOptions = true,
        description =
                "Measure sequences/s, tokens/s, padding efficiency and FLOP/s utilisation of the batched "
                        + "predictor on all-MiniLM-L6-v2, next to ONNX Runtime Java (float32 and int8) and "
                        + "the per-record pattern.")
final class ModelBenchCommand implements Callable<Integer> {

    /** The job's default token budget per session call ({@code batching.max-tokens}). */
    static final int TOKEN_BUDGET = 4096;

    @Option(
            names = "--out",
            defaultValue = "target/bench",
            description =
                    "Directory for results.json, results.md and PNG plots. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(
            names = "--seconds",
            defaultValue = "3",
            description = "Minimum seconds per configuration. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(
            names = "--texts",
            defaultValue = "2048",
            description =
                    "Chat-mix texts per pass (the pool length grouping sorts). Default: ${DEFAULT-VALUE}.")
    int texts;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description =
                    "Interleaved rounds of the engine comparison on the chat mix. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(
            names = "--quick",
            description = "A few configurations only, 512 texts, one round (a smoke run).")
    boolean quick;

    @Option(
            names = "--student",
            description =
                    "A bundle made by `models distill` to run next to the engines (e.g. a 3-layer "
                            + "student of the default bundle); its row is skipped when absent.")
    Path student;

    private final List<String> notes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        if (quick) {
            texts = Math.min(texts, 512);
            rounds = 1;
            seconds = Math.min(seconds, 1);
        }
        String loadAtStart = LoadAverage.now();
        String cpu = OneDnnSupport.describe();
        System.err.println("cpu: " + cpu);
        System.err.println("load averages at start: " + loadAtStart);
        System.err.println("Measuring the TensorFlow matmul peak (2048x2048 fp32) ...");
        double peak = MatmulPeak.measure(2048, quick ? 3 : 20);
        double peakBf16 = MatmulPeak.measure(2048, quick ? 3 : 20, true);
        System.err.printf("peak %.1f GFLOP/s float32, %.1f GFLOP/s bfloat16%n", peak, peakBf16);

        PretrainedEncoder.Extracted files =
                PretrainedEncoder.MINILM_L6.resolve(
                        PretrainedEncoder.cacheDirectory().resolve("pretrained"));
        ImportedEncoder enc =
                OnnxBertImporter.importFile(files.onnx(), files.tokenizerJson(), "bench");
        Path bundleDir = out.resolve("minilm-bundle");
        BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                .name("minilm-bench")
                .maxSeqLength(512)
                .write(bundleDir);
        // The graph bundles had before the fusion, run as the predictor ran it then (no width
        // padding): the before/after comparison of one run.
        Path legacyDir = out.resolve("minilm-bundle-legacy");
        BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                .name("minilm-bench-legacy")
                .maxSeqLength(512)
                .fusedGraph(false)
                .write(legacyDir);
        // Our int8 from the same weights, as `models quantize` writes it but without its accuracy
        // gate (the bench has no labelled dev sets): the row says "not gated".
        Path int8Dir = null;
        if (OneDnnSupport.enabled()) {
            int8Dir = out.resolve("minilm-bundle-int8");
            BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                    .name("minilm-bench-int8")
                    .maxSeqLength(512)
                    .precision(Precision.INT8)
                    .write(int8Dir);
        } else {
            skipped(
                    "tensorflow-int8 row skipped: int8 bundles need TensorFlow's oneDNN kernels, off"
                            + " here ("
                            + OneDnnSupport.describe()
                            + "; set "
                            + OneDnnSupport.ENV
                            + "=1)");
        }
        if (student == null) {
            skipped("student row skipped: no --student bundle given");
        }
        Path int8Onnx =
                PretrainedEncoder.resolveMiniLmL6Int8Onnx(
                        PretrainedEncoder.cacheDirectory().resolve("pretrained"));

        if (!OneDnnSupport.nativeBfloat16()) {
            notes.add(
                    "no native bfloat16 on this CPU: the tensorflow-bf16 rows run float32"
                            + " (SessionSettings warns and stays float32)");
        }
        List<BenchResult> results = new ArrayList<>();
        // The gate status of our reduced rows (int8, student), by head-to-head key.
        Map<String, BenchRatios.Gate> gates = new LinkedHashMap<>();
        Map<String, List<BenchResult>> headToHead = new LinkedHashMap<>();
        List<String> chat = BenchTexts.chatMix(texts, 7);
        List<String> small = chat.subList(0, Math.min(chat.size(), 512));
        // Arrival-order batches pad to the longest of a random sample whatever the pool; 256 texts
        // suffice.
        List<String> unsorted = chat.subList(0, Math.min(chat.size(), 256));
        try (ModelBundle bundle = ModelBundle.load(bundleDir, SessionSettings.defaults());
                ModelBundle legacy = ModelBundle.load(legacyDir, SessionSettings.defaults());
                ModelBundle bf16 =
                        ModelBundle.load(bundleDir, SessionSettings.defaults().withBfloat16(true));
                ModelBundle int8 =
                        int8Dir == null
                                ? null
                                : ModelBundle.load(int8Dir, SessionSettings.defaults());
                ModelBundle studentBundle =
                        student == null
                                ? null
                                : ModelBundle.load(student, SessionSettings.defaults());
                ModelBench bench = new ModelBench(bundle, files.onnx(), int8Onnx, peak, seconds)) {
            if (int8 != null) {
                // Written here without `models quantize`'s gate, whatever its bundle.json says.
                gates.put("tensorflow-int8 b64", BenchRatios.Gate.NOT_GATED);
            }
            if (studentBundle != null) {
                gates.put("student b64", BenchRatios.Gate.of(studentBundle.manifest()));
            }
            // 1. The engines on the chat mix at the job's settings (64 texts, 4096 tokens per call,
            // grouped),
            //    interleaved in rounds so load from other processes hits every engine alike.
            for (int r = 0; r < rounds; r++) {
                System.err.printf("round %d of %d (load %s)%n", r + 1, rounds, LoadAverage.now());
                add(
                        headToHead,
                        "tensorflow b64",
                        report(
                                bench.tensorflow(
                                        "chat-mix",
                                        "tensorflow",
                                        bundle,
                                        chat,
                                        64,
                                        TOKEN_BUDGET,
                                        true,
                                        128)));
                add(
                        headToHead,
                        "tensorflow-legacy b64",
                        report(
                                bench.tensorflow(
                                        "chat-mix",
                                        "tensorflow-legacy",
                                        legacy,
                                        chat,
                                        64,
                                        TOKEN_BUDGET,
                                        true,
                                        BatchPlanner.DEFAULT_CALL_COST_TOKENS,
                                        128,
                                        1)));
                add(
                        headToHead,
                        "tensorflow-bf16 b64",
                        report(
                                bench.tensorflow(
                                        "chat-mix",
                                        "tensorflow-bf16",
                                        bf16,
                                        chat,
                                        64,
                                        TOKEN_BUDGET,
                                        true,
                                        128)));
                if (int8 != null) {
                    add(
                            headToHead,
                            "tensorflow-int8 b64",
                            report(
                                    bench.tensorflow(
                                            "chat-mix",
                                            "tensorflow-int8",
                                            int8,
                                            chat,
                                            64,
                                            TOKEN_BUDGET,
                                            true,
                                            128)));
                }
                if (studentBundle != null) {
                    add(
                            headToHead,
                            "student b64",
                            report(
                                    bench.tensorflow(
                                            "chat-mix",
                                            "student",
                                            studentBundle,
                                            chat,
                                            64,
                                            TOKEN_BUDGET,
                                            true,
                                            128)));
                }
                add(
                        headToHead,
                        "onnxruntime b64",
                        report(bench.onnxRuntime("chat-mix", chat, 64, TOKEN_BUDGET, true, 128)));
                add(
                        headToHead,
                        "onnxruntime-int8 b64",
                        report(
                                bench.onnxRuntimeInt8(
                                        "chat-mix", chat, 64, TOKEN_BUDGET, true, 128)));
                add(
                        headToHead,
                        "onnxruntime b1",
                        report(bench.onnxRuntime("chat-mix", chat, 1, 128, false, 128)));
                add(headToHead, "per-record", report(bench.perRecord("chat-mix", chat, 128)));
            }
            // 2. Batch-size sweep of the TensorFlow predictor: grouped with the token budget on the
            // whole pool,
            //    ungrouped (padding does not depend on the pool) on its first 512 texts.
            int[] sizes = quick ? new int[] {1, 64} : new int[] {1, 8, 32, 64, 128, 256};
            for (int b : sizes) {
                results.add(
                        report(
                                bench.tensorflow(
                                        "chat-mix",
                                        "tensorflow",
                                        bundle,
                                        b == 1 ? small : chat,
                                        b,
                                        Math.max(TOKEN_BUDGET, 128),
                                        true,
                                        128)));
            }
            for (int b : quick ? new int[] {64} : new int[] {64, 256}) {
                results.add(
                        report(
                                bench.tensorflow(
                                        "chat-mix",
                                        "tensorflow-greedy",
                                        bundle,
                                        chat,
                                        b,
                                        TOKEN_BUDGET,
                                        true,
                                        0,
                                        128)));
            }
            for (int b : sizes) {
                if (b > 1) {
                    results.add(
                            report(
                                    bench.tensorflow(
                                            "chat-mix",
                                            "tensorflow",
                                            bundle,
                                            unsorted,
                                            b,
                                            b * 128,
                                            false,
                                            128)));
                }
            }
            // 3. Fixed lengths.
            for (int len : quick ? new int[] {32} : new int[] {32, 128, 512}) {
                int n = len == 512 ? 32 : len == 128 ? 128 : 256;
                List<String> fixed = BenchTexts.fixedLength(n, len);
                for (int b : quick ? new int[] {32} : new int[] {1, 32, 128}) {
                    if (b > n) {
                        continue;
                    }
                    int rows = b;
                    results.add(
                            report(
                                    bench.tensorflow(
                                            "fixed-" + len,
                                            "tensorflow",
                                            bundle,
                                            fixed,
                                            rows,
                                            rows * len,
                                            false,
                                            len)));
                }
                results.add(
                        report(
                                bench.tensorflow(
                                        "fixed-" + len,
                                        "tensorflow-bf16",
                                        bf16,
                                        fixed,
                                        32,
                                        32 * len,
                                        false,
                                        len)));
                results.add(
                        report(bench.onnxRuntime("fixed-" + len, fixed, 32, 32 * len, false, len)));
            }
            // 4. Where per-record time goes, and how far bfloat16 moves the embeddings.
            ModelBench.PerCallCost cost =
                    bench.perCallCost(small.subList(0, Math.min(small.size(), 256)), 128);
            notes.add(
                    String.format(
                            "per-record call on the chat mix: tokenize %.3f ms, session call %.3f ms; "
                                    + "a 2-token session call (the fixed cost of any call) %.3f ms mean, %.3f ms best",
                            cost.tokenizeMs(),
                            cost.sessionMs(),
                            cost.emptyCallMs(),
                            cost.emptyCallBestMs()));
            ModelBench.PerCallCost legacyCost =
                    bench.perCallCost(
                            legacy, small.subList(0, Math.min(small.size(), 256)), 128, 1);
            notes.add(
                    String.format(
                            "the same on the legacy graph: tokenize %.3f ms, session call %.3f ms; "
                                    + "2-token session call %.3f ms mean, %.3f ms best",
                            legacyCost.tokenizeMs(),
                            legacyCost.sessionMs(),
                            legacyCost.emptyCallMs(),
                            legacyCost.emptyCallBestMs()));
            for (ModelBundle b : List.of(bundle, legacy)) {
                SessionProfile p = SessionProfile.trace(b, 1, 2);
                notes.add(
                        String.format(
                                "2-token call traced op by op (%s graph): %d nodes run, %d fused + %d plain matmuls, "
                                        + "%d _MklLayerNorm; top: %s",
                                b == bundle ? "fused" : "legacy",
                                p.nodesRun(),
                                p.fusedMatMuls(),
                                p.plainMatMuls(),
                                p.opCount("_MklLayerNorm"),
                                p.top(5)));
            }
            double[] agree = bench.embeddingAgreement(bf16, small, 128);
            notes.add(
                    String.format(
                            "bfloat16 vs float32 embeddings on %d chat texts: cosine similarity min %.5f, mean %.5f",
                            small.size(), agree[0], agree[1]));
        }
        String loadAtEnd = LoadAverage.now();

        StringBuilder md = new StringBuilder();
        md.append(String.format("cpu: %s%n%n", cpu));
        md.append(
                String.format(
                        "load averages (1/5/15 min) at start: %s, at end: %s (2 cores)%n%n",
                        loadAtStart, loadAtEnd));
        md.append(
                String.format(
                        "matmul peak (2048x2048, best of %d): %.1f GFLOP/s float32, %.1f GFLOP/s bfloat16 (%d cores); "
                                + "'of peak' is against the float32 peak for every row%n%n",
                        quick ? 3 : 20,
                        peak,
                        peakBf16,
                        Runtime.getRuntime().availableProcessors()));
        md.append(
                String.format(
                        "### Engines on the chat mix (%d texts, best of %d interleaved rounds)%n%n",
                        chat.size(), rounds));
        md.append(BenchResult.header()).append('\n');
        Map<String, BenchResult> bestByKey = new LinkedHashMap<>();
        headToHead.forEach(
                (k, v) ->
                        bestByKey.put(
                                k,
                                v.stream()
                                        .max(
                                                (x, y) ->
                                                        Double.compare(
                                                                x.sequencesPerSecond(),
                                                                y.sequencesPerSecond()))
                                        .orElseThrow()));
        List<BenchResult> best = new ArrayList<>(bestByKey.values());
        best.forEach(r -> md.append(r.row()).append('\n'));
        md.append('\n');
        double tf = best.get(0).sequencesPerSecond();
        for (BenchResult r : best.subList(1, best.size())) {
            md.append(
                    String.format(
                            "- tensorflow b64 / %s %s: %.2fx%n",
                            r.engine(),
                            r.batchSize() == 1 ? "b1" : "b" + r.batchSize(),
                            tf / r.sequencesPerSecond()));
        }
        gates.forEach(
                (k, g) ->
                        md.append(
                                String.format(
                                        "- gate of %s: %s%s%n",
                                        k,
                                        g.label(),
                                        k.startsWith("tensorflow-int8")
                                                ? " (written by the bench from the float32 weights)"
                                                : "")));
        md.append(String.format("- all rounds (seq/s): %s%n%n", roundsSummary(headToHead)));
        md.append(
                String.format(
                        "### Sweep (chat mix: grouped rows on %d texts with a %d-token budget per call, "
                                + "batch 1 on the first %d, arrival order on the first %d)%n%n",
                        chat.size(), TOKEN_BUDGET, small.size(), unsorted.size()));
        md.append(BenchResult.header()).append('\n');
        results.forEach(r -> md.append(r.row()).append('\n'));
        md.append('\n');
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append('\n').append(paddingTable(bundleDir)).append('\n');
        md.append(ratiosLine(bestByKey, gates)).append('\n');
        BenchPlots.throughputByBatchSize(results, best, out.resolve("throughput-vs-batch.png"));
        results.addAll(best);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(
                        out.resolve("results.json").toFile(),
                        new BenchReport(
                                peak,
                                peakBf16,
                                Runtime.getRuntime().availableProcessors(),
                                loadAtStart,
                                loadAtEnd,
                                results,
                                notes));
        Files.writeString(out.resolve("results.md"), md);
        System.out.println(md);
        return 0;
    }

    /** The final ratios line from the best of the rounds of each head-to-head row. */
    private static String ratiosLine(
            Map<String, BenchResult> best, Map<String, BenchRatios.Gate> gates) {
        List<BenchRatios.Row> ours = new ArrayList<>();
        best.forEach(
                (k, r) -> {
                    if (!k.startsWith("onnxruntime")) {
                        // bfloat16 changes the numbers without a gate, like the in-bench int8.
                        BenchRatios.Gate g =
                                k.startsWith("tensorflow-bf16")
                                        ? BenchRatios.Gate.NOT_GATED
                                        : gates.getOrDefault(k, BenchRatios.Gate.FLOAT32);
                        ours.add(new BenchRatios.Row(k, r.sequencesPerSecond(), g));
                    }
                });
        BenchRatios.Row student =
                ours.stream().filter(r -> r.name().equals("student b64")).findFirst().orElse(null);
        BenchResult ortInt8 = best.get("onnxruntime-int8 b64");
        return BenchRatios.line(
                ours.get(0),
                best.get("onnxruntime b64").sequencesPerSecond(),
                ortInt8 == null ? Double.NaN : ortInt8.sequencesPerSecond(),
                ours,
                student);
    }

    private void skipped(String reason) {
        System.err.println(reason);
        notes.add(reason);
    }

    /** Padding efficiency of the planner alone (no timing) for pools of several sizes. */
    private String paddingTable(Path bundleDir) {
        int[] pools = {512, 2048, 8192};
        int[] sizes = {8, 32, 64, 128, 256};
        StringBuilder sb =
                new StringBuilder(
                        "### Padding efficiency of length grouping (planner only, chat mix)\n\n"
                                + "| pool | budget | cuts |");
        for (int b : sizes) {
            sb.append(" batch ").append(b).append(" |");
        }
        sb.append("\n|---|---|---|").append("---|".repeat(sizes.length)).append('\n');
        try (BertTokenizer tok =
                BertTokenizer.fromTokenizerJson(bundleDir.resolve("tokenizer.json"), 128)) {
            for (int pool : pools) {
                int[] lengths =
                        tok.encodeBatch(BenchTexts.chatMix(pool, 7)).stream()
                                .mapToInt(TokenizedText::length)
                                .toArray();
                for (int variant = 0; variant < 3; variant++) {
                    boolean budget = variant > 0;
                    int cost = variant == 2 ? BatchPlanner.DEFAULT_CALL_COST_TOKENS : 0;
                    sb.append("| ")
                            .append(pool)
                            .append(" | ")
                            .append(budget ? TOKEN_BUDGET + " tokens" : "none")
                            .append(" | ")
                            .append(cost == 0 ? "greedy" : "cost-based (" + cost + ")")
                            .append(" |");
                    for (int b : sizes) {
                        sb.append(
                                String.format(
                                        " %.3f |",
                                        ModelBench.paddingEfficiency(
                                                lengths,
                                                b,
                                                budget ? TOKEN_BUDGET : b * 128,
                                                cost)));
                    }
                    sb.append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String roundsSummary(Map<String, List<BenchResult>> rounds) {
        StringBuilder sb = new StringBuilder();
        rounds.forEach(
                (k, v) ->
                        sb.append(k)
                                .append(' ')
                                .append(
                                        v.stream()
                                                .map(
                                                        r ->
                                                                String.format(
                                                                        "%.1f",
                                                                        r.sequencesPerSecond()))
                                                .toList())
                                .append("; "));
        return sb.toString();
    }

    private static void add(Map<String, List<BenchResult>> m, String key, BenchResult r) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }

    private static BenchResult report(BenchResult r) {
        System.err.println(r.row());
        return r;
    }

    /** What results.json holds. */
    record BenchReport(
            double peakGflops,
            double peakBf16Gflops,
            int cores,
            String loadAtStart,
            String loadAtEnd,
            List<BenchResult> results,
            List<String> notes) {}
}
