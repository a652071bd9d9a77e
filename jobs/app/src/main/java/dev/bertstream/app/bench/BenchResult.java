package dev.bertstream.app.bench;

/**
 * One measured configuration.
 *
 * @param workload {@code chat-mix} or {@code fixed-N}
 * @param engine {@code tensorflow}, {@code tensorflow-bf16}, {@code onnxruntime} or {@code
 *     per-record}
 * @param batchSize most sequences per session call
 * @param grouped whether sequences were sorted by length before batching
 * @param sequencesPerSecond texts classified per second, tokenization included
 * @param realTokensPerSecond non-padding tokens per second
 * @param paddingEfficiency real tokens over computed tokens
 * @param gflops achieved matmul GFLOP/s of the encoder (computed tokens)
 * @param utilisation {@code gflops} over the measured float32 matmul peak
 * @param tokenizeShare share of the time spent tokenizing (the rest is session calls and batch
 *     assembly)
 * @param load1 the machine's 1-minute load average when the configuration finished (2 cores: above
 *     2 means other processes competed for the CPU)
 */
record BenchResult(
        String workload,
        String engine,
        int batchSize,
        boolean grouped,
        double sequencesPerSecond,
        double realTokensPerSecond,
        double paddingEfficiency,
        double gflops,
        double utilisation,
        double tokenizeShare,
        double load1) {

    String row() {
        return String.format(
                "| %s | %s | %d | %s | %.1f | %.0f | %.3f | %.1f | %.0f%% | %.1f%% | %.1f |",
                workload,
                engine,
                batchSize,
                grouped ? "yes" : "no",
                sequencesPerSecond,
                realTokensPerSecond,
                paddingEfficiency,
                gflops,
                100 * utilisation,
                100 * tokenizeShare,
                load1);
    }

    static String header() {
        return "| workload | engine | batch | grouped | seq/s | real tok/s | padding eff. | GFLOP/s | of peak | tokenize | load |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|";
    }
}
