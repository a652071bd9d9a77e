package dev.bertstream.app.bench;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.jobs.config.JobOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench sql}: the SQL path ({@code ML_PREDICT} with the {@code bert-stream} provider)
 * against the DataStream job, in one run on one machine: the same JSON backlog of chat events on an
 * in-process broker, drained by each path in turn from the earliest offset, exactly-once with the
 * same checkpoint interval, parallelism, bundle and batching settings; prints both steady
 * throughputs, their mean batch sizes and the ratio.
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description =
                "Throughput of the SQL path (Kafka table -> ML_PREDICT -> Kafka table) against the"
                        + " DataStream job on the same backlog, bundle and settings.")
final class SqlBenchCommand implements Callable<Integer> {

    @Mixin BundleOption bundleOption;

    @Option(
            names = "--events",
            defaultValue = "6000",
            description =
                    "Backlog size; each path labels all of it (about a minute each at 100"
                            + " events/s). Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--paths",
            split = ",",
            defaultValue = "datastream,sql",
            description = "Paths to run, in this order. Default: ${DEFAULT-VALUE}.")
    List<String> paths;

    @Option(
            names = "--rounds",
            defaultValue = "1",
            description =
                    "Rounds; every second round runs the paths in reverse order (A B, B A, ...),"
                            + " so a load that drifts during the run weighs on both alike; the"
                            + " ratio uses each path's mean. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "1 s",
            description =
                    "Checkpoint interval of both jobs (exactly-once). Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Parallelism of both jobs. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--skip",
            defaultValue = "0.1",
            description =
                    "Share of each path's events, earliest labeled first, left out of its steady"
                            + " rate as start-up. Default: ${DEFAULT-VALUE}.")
    double skip;

    @Option(
            names = "--out",
            defaultValue = "target/bench-sql",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, BacklogPath> known = new LinkedHashMap<>();
        for (BacklogPath p : List.of(new DataStreamBacklogPath(), new SqlBacklogPath())) {
            known.put(p.name(), p);
        }
        if (rounds < 1) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--rounds must be >= 1, got " + rounds);
        }
        for (String p : paths) {
            if (!known.containsKey(p)) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this),
                        "--paths: unknown path '" + p + "' (known: " + known.keySet() + ")");
            }
        }
        Files.createDirectories(out);
        String loadAtStart = LoadAverage.now();
        System.err.println("load averages at start: " + loadAtStart);
        Path bundle = bundleOption.resolve();
        BacklogPath.Settings settings =
                new BacklogPath.Settings(parallelism, parseDuration(checkpointInterval));
        // The pipeline bench's texts: the demo's chat traffic, 1 in 10 long.
        ChatTraffic traffic = new ChatTraffic(5);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            texts.add(traffic.nextText());
        }
        List<PathResult> results = new ArrayList<>();
        int failed = 0;
        try (PauseDetector pauses = new PauseDetector();
                EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createTopics(kafka, 4);
            kafka.createTopics(4, SqlBacklogPath.OUTPUT_TOPIC);
            JsonBacklog.write(
                    kafka.bootstrapServers(), JobOptions.INPUT_TOPIC.defaultValue(), texts);
            System.err.printf(
                    Locale.ROOT,
                    "backlog: %d JSON events on %s; paths %s, parallelism %d, exactly-once, %s"
                            + " checkpoints%n",
                    events,
                    JobOptions.INPUT_TOPIC.defaultValue(),
                    paths,
                    parallelism,
                    checkpointInterval);
            BacklogRunner runner =
                    new BacklogRunner(
                            kafka.bootstrapServers(), bundle, settings, skip, System.err, pauses);
            for (int round = 1; round <= rounds; round++) {
                for (String p : roundOrder(paths, round)) {
                    try {
                        results.add(runner.run(known.get(p), events, round));
                    } catch (Exception e) {
                        // The other paths' numbers still count; the exit code says one failed.
                        failed++;
                        System.err.printf("[%s] round %d failed: %s%n", p, round, e);
                    }
                }
            }
        }
        String md = report(loadAtStart, bundle, results);
        Files.writeString(out.resolve("results.md"), md);
        System.out.println(md);
        boolean exact =
                results.stream().allMatch(r -> r.labeled() == r.events() && r.duplicates() == 0);
        return exact && failed == 0 ? 0 : 1;
    }

    private String report(String loadAtStart, Path bundle, List<PathResult> results) {
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        Locale.ROOT,
                        "bundle %s; %d events; parallelism %d; exactly-once, %s checkpoints;"
                                + " batches of at most %d events / %d tokens / %d ms wait,"
                                + " inference capacity %d; steady rate leaves out the first %.0f%%"
                                + " of events labeled and the time this JVM was paused; load averages (1/5/15 min) at start: %s%n%n",
                        bundle,
                        events,
                        parallelism,
                        checkpointInterval,
                        JobOptions.BATCH_MAX_SIZE.defaultValue(),
                        JobOptions.BATCH_MAX_TOKENS.defaultValue(),
                        JobOptions.BATCH_MAX_WAIT.defaultValue().toMillis(),
                        JobOptions.CAPACITY.defaultValue(),
                        100 * skip,
                        loadAtStart));
        md.append(SqlBenchReport.table(results));
        md.append('\n').append(SqlBenchReport.ratioLine(results)).append('\n');
        return md.toString();
    }

    /** The paths in the given order in odd rounds, reversed in even ones. */
    static List<String> roundOrder(List<String> paths, int round) {
        List<String> order = new ArrayList<>(paths);
        if (round % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        return order;
    }

    private static Duration parseDuration(String text) {
        return org.apache.flink.util.TimeUtils.parseDuration(text);
    }
}
