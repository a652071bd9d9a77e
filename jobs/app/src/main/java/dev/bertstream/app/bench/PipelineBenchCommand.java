package dev.bertstream.app.bench;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.demo.DeliveryAccounting;
import dev.bertstream.app.demo.JobMetricsProbe;
import dev.bertstream.app.demo.OutputTopicReader;
import dev.bertstream.app.demo.RoundTripStats;
import dev.bertstream.app.demo.TrafficGenerator;
import dev.bertstream.app.demo.WarmUpTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.FreePorts;
import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.batching.TokenEstimator;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench pipeline}: the whole job on an in-process broker. Measures the highest sustainable
 * events/s (draining a backlog, exactly-once), model-only throughput at the same batch settings,
 * and, for each delivery mode, processing and end-to-end latency, mean batch size and padding
 * efficiency at 25/50/75% of the maximum rate.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description =
                "Throughput and latency of the whole job (embedded Kafka), per delivery mode.")
final class PipelineBenchCommand implements Callable<Integer> {

    @Mixin BundleOption bundleOption;

    @Option(
            names = "--events",
            defaultValue = "10000",
            description = "Backlog size for the throughput run. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "Seconds per latency level. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(
            names = "--out",
            defaultValue = "target/bench-pipeline",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(
            names = "--delivery",
            split = ",",
            defaultValue = "exactly-once,at-least-once",
            description =
                    "job.delivery modes whose latency is measured, comma-separated. Default:"
                            + " ${DEFAULT-VALUE}.")
    List<String> deliveries;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "1 s",
            description =
                    "job.checkpoint-interval of the latency runs (exactly-once output is visible"
                            + " only after a checkpoint). Default: ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
            names = "--loads",
            split = ",",
            defaultValue = "0.25,0.5,0.75",
            description =
                    "Latency levels as fractions of the highest rate. Default: ${DEFAULT-VALUE}.")
    List<Double> loads;

    @Option(
            names = "--max-rate",
            description =
                    "Take this as the highest sustainable events/s and skip the model-only and"
                            + " throughput runs (for quick latency comparisons).")
    Double maxRate;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "A job or Flink option for every job run, e.g. --set"
                            + " 'execution.buffer-timeout.interval=100 ms'; repeatable.")
    List<String> settings = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        String loadAtStart = LoadAverage.now();
        System.err.println("load averages at start: " + loadAtStart);
        Path bundle = bundleOption.resolve();
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        "load averages (1/5/15 min) at start: %s (2 cores)%n%n", loadAtStart));
        if (!settings.isEmpty()) {
            md.append("job settings: `").append(String.join("`, `", settings)).append("`\n\n");
        }
        double max;
        if (maxRate != null) {
            max = maxRate;
            md.append(
                    String.format(
                            "highest rate given: %.1f events/s (no throughput run)%n%n", max));
        } else {
            max = throughput(bundle, md);
        }
        md.append(
                "| delivery | load | rate (events/s) | events | dup | e2e p50 ms | e2e p99 ms | e2e p999 ms"
                        + " | processing p50 ms | processing p99 ms | mean batch | padding eff."
                        + " | inference p50/p99 ms | arrival gap p50/p90/p99 ms | load avg |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        XYChart cdf =
                new XYChartBuilder()
                        .width(900)
                        .height(560)
                        .title(
                                "End-to-end latency CDF (read back read_committed, "
                                        + checkpointInterval
                                        + " checkpoints)")
                        .xAxisTitle("latency (ms)")
                        .yAxisTitle("fraction of events")
                        .build();
        for (String delivery : deliveries) {
            for (double load : loads) {
                LatencyRun r = latencyRun(bundle, max * load, delivery);
                RoundTripStats s = r.stats();
                JobMetricsProbe.Snapshot m = r.metrics();
                md.append(
                        String.format(
                                "| %s | %.0f%% | %.1f | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s |%n",
                                delivery,
                                load * 100,
                                max * load,
                                s.labeled.get(),
                                s.accounting.snapshot().duplicates(),
                                s.latencyPercentile(0.5),
                                s.latencyPercentile(0.99),
                                s.latencyPercentile(0.999),
                                s.processingLatencyPercentile(0.5),
                                s.processingLatencyPercentile(0.99),
                                m == null ? "-" : String.format("%.1f", m.meanBatchSize()),
                                m == null ? "-" : String.format("%.3f", m.paddingEfficiency()),
                                m == null
                                        ? "-"
                                        : String.format(
                                                "%.0f / %.0f", m.inferenceP50(), m.inferenceP99()),
                                m == null
                                        ? "-"
                                        : String.format(
                                                "%.0f / %.0f / %.0f",
                                                m.arrivalGapP50(),
                                                m.arrivalGapP90(),
                                                m.arrivalGapP99()),
                                LoadAverage.now()));
                long[] sorted = s.sortedLatencies();
                if (sorted.length > 0) {
                    double[] x = new double[sorted.length];
                    double[] y = new double[sorted.length];
                    for (int i = 0; i < sorted.length; i++) {
                        x[i] = sorted[i];
                        y[i] = (i + 1.0) / sorted.length;
                    }
                    String name =
                            String.format(
                                    "%s, %.0f%% of max (%.0f events/s)",
                                    delivery, load * 100, max * load);
                    // A level may repeat (--loads 0.5,0.5: the first warms the JVM up); XChart
                    // refuses a series name twice.
                    while (cdf.getSeriesMap().containsKey(name)) {
                        name += " (again)";
                    }
                    cdf.addSeries(name, x, y)
                            .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
                }
            }
        }
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.saveBitmap(
                cdf, out.resolve("latency-cdf.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        md.append(String.format("%nload averages at end: %s%n", LoadAverage.now()));
        Files.writeString(out.resolve("results.md"), md);
        System.out.println(md);
        return 0;
    }

    /** Model-only and pipeline throughput, appended to {@code md}; returns the pipeline's. */
    private double throughput(Path bundle, StringBuilder md) throws Exception {
        List<String> texts = new ArrayList<>();
        ChatTraffic traffic = new ChatTraffic(5);
        for (int i = 0; i < events; i++) {
            texts.add(traffic.nextText());
        }
        int maxSize = JobOptions.BATCH_MAX_SIZE.defaultValue();
        int maxTokens = JobOptions.BATCH_MAX_TOKENS.defaultValue();
        double[] modelOnly = modelOnly(bundle, texts, maxSize, maxTokens);
        System.err.printf(
                "model-only, the job's micro-batches and predictor settings: %.1f events/s (cold pass %.1f)%n",
                modelOnly[1], modelOnly[0]);
        double[] pipeline = maxThroughput(bundle, texts, settings);
        System.err.printf(
                "pipeline max: %.1f events/s while processing (%.1f over the whole job run) = %.0f%% of model-only%n",
                pipeline[0], pipeline[1], 100 * pipeline[0] / modelOnly[1]);
        md.append(
                String.format(
                        "model-only (same %d texts cut into the job's micro-batches of at most %d events / %d "
                                + "estimated tokens, the job's predictor settings, warm): %.1f events/s (first, cold pass: %.1f)%n%n",
                        events, maxSize, maxTokens, modelOnly[1], modelOnly[0]));
        md.append(
                String.format(
                        "pipeline, draining a %d-event backlog (exactly-once, 1 s checkpoints): %.1f events/s while "
                                + "processing = **%.0f%% of model-only** (%.1f events/s over the whole job run, start-up and last "
                                + "commit included); load averages after: %s%n%n",
                        events,
                        pipeline[0],
                        100 * pipeline[0] / modelOnly[1],
                        pipeline[1],
                        LoadAverage.now()));
        return pipeline[0];
    }

    /** {@code --set key=value} settings as {@code --key value} overrides. */
    private static List<String> overrides(List<String> settings) {
        List<String> args = new ArrayList<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq < 1) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(new PipelineBenchCommand()),
                        "--set takes KEY=VALUE, got '" + s + "'");
            }
            args.add("--" + s.substring(0, eq).trim());
            args.add(s.substring(eq + 1).trim());
        }
        return args;
    }

    /** One latency level's round trip and the job's batching metrics (null if unreadable). */
    record LatencyRun(RoundTripStats stats, JobMetricsProbe.Snapshot metrics) {}

    /**
     * Model-only throughput at the job's settings: the texts cut into micro-batches as the job's
     * batching operator cuts a backlog (flush at {@code maxSize} events or {@code maxTokens}
     * estimated tokens), each classified by a predictor configured as the job's shared model is.
     * Returns {cold first pass, warm second pass} events/s.
     */
    private static double[] modelOnly(Path bundle, List<String> texts, int maxSize, int maxTokens)
            throws Exception {
        // As the job: estimates capped, and the call budget raised, by the bundle's max length.
        int maxSeqLength = ModelBundle.readManifest(bundle).maxSeqLength();
        TokenEstimator estimator = new TokenEstimator(maxSeqLength);
        List<List<String>> batches = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long tokens = 0;
        for (String t : texts) {
            current.add(t);
            tokens += estimator.estimate(t);
            if (current.size() >= maxSize || tokens >= maxTokens) {
                batches.add(current);
                current = new ArrayList<>();
                tokens = 0;
            }
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        try (ModelBundle b =
                        ModelBundle.load(
                                bundle,
                                new SessionSettings(
                                        JobOptions.INTRA_OP_THREADS.defaultValue(), 1, false));
                BatchPredictor p =
                        BatchPredictor.builder(b)
                                .maxBatchSize(Integer.MAX_VALUE / 2)
                                .maxBatchTokens(Math.max(maxTokens, maxSeqLength))
                                .build()) {
            double[] rates = new double[2];
            for (int pass = 0; pass < 2; pass++) {
                long start = System.nanoTime();
                for (List<String> batch : batches) {
                    p.predict(batch);
                }
                rates[pass] = texts.size() / ((System.nanoTime() - start) / 1e9);
            }
            return rates;
        }
    }

    /**
     * Preloads the backlog, runs the bounded job over it and reads every labeled event back
     * (read_committed). Returns {events/s from the first to the last event's processing time,
     * events/s over the job's net runtime}.
     */
    static double[] maxThroughput(Path bundle, List<String> texts, List<String> settings)
            throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createTopics(kafka, 4);
            RecordEncoder<TextEvent> writer =
                    RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
            RoundTripStats stats = new RoundTripStats();
            try (KafkaProducer<byte[], byte[]> p =
                    new KafkaProducer<>(
                            Map.of("bootstrap.servers", kafka.bootstrapServers()),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (int i = 0; i < texts.size(); i++) {
                    String key = "conv-" + (i % 500);
                    stats.accounting.sentEvent("b-" + i);
                    stats.produced.incrementAndGet();
                    p.send(
                            new ProducerRecord<>(
                                    JobOptions.INPUT_TOPIC.defaultValue(),
                                    key.getBytes(StandardCharsets.UTF_8),
                                    writer.encode(
                                            TextEvent.newBuilder()
                                                    .setEventId("b-" + i)
                                                    .setKey(key)
                                                    .setText(texts.get(i))
                                                    .setSource("bench")
                                                    .setCreatedAt(Instant.now())
                                                    .setAttributes(Map.of())
                                                    .build())));
                }
            }
            JobClient job =
                    LocalPipeline.start(
                            LocalPipeline.config(
                                    kafka,
                                    bundle,
                                    concat(
                                            List.of(
                                                    "--" + JobOptions.STARTING_OFFSETS.key(),
                                                    "earliest"),
                                            overrides(settings))),
                            0,
                            true);
            long runtime = job.getJobExecutionResult().get().getNetRuntime();
            OutputTopicReader reader =
                    new OutputTopicReader(
                            kafka.bootstrapServers(),
                            JobOptions.LABELED_TOPIC.defaultValue(),
                            JobOptions.MODERATION_TOPIC.defaultValue(),
                            JobOptions.DEAD_LETTER_TOPIC.defaultValue(),
                            stats);
            Thread t = new Thread(reader);
            t.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!stats.allAccountedFor() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            reader.stop();
            t.join();
            requireExact(stats);
            return new double[] {stats.processingThroughput(), texts.size() / (runtime / 1000.0)};
        }
    }

    private LatencyRun latencyRun(Path bundle, double rate, String delivery) throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createTopics(kafka, 4);
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--" + JobOptions.DELIVERY.key(),
                                    delivery,
                                    "--" + JobOptions.CHECKPOINT_INTERVAL.key(),
                                    checkpointInterval));
            args.addAll(overrides(settings));
            int port = FreePorts.reserve();
            JobClient job =
                    LocalPipeline.start(LocalPipeline.config(kafka, bundle, args), port, false);
            LocalPipeline.awaitTasksRunning(job, port);
            long startup =
                    WarmUpTraffic.run(
                            OutputTopicReader.bootstrapOnly(kafka.bootstrapServers()),
                            Math.min(rate, 5),
                            Duration.ZERO);
            System.err.printf(
                    "%s: first event read back %d ms after the job was running%n",
                    delivery, startup);
            RoundTripStats stats = new RoundTripStats();
            TrafficGenerator traffic =
                    new TrafficGenerator(
                            kafka.bootstrapServers(),
                            JobOptions.INPUT_TOPIC.defaultValue(),
                            rate,
                            0,
                            stats);
            OutputTopicReader reader =
                    new OutputTopicReader(
                            kafka.bootstrapServers(),
                            JobOptions.LABELED_TOPIC.defaultValue(),
                            JobOptions.MODERATION_TOPIC.defaultValue(),
                            JobOptions.DEAD_LETTER_TOPIC.defaultValue(),
                            stats);
            Thread t1 = new Thread(traffic);
            Thread t2 = new Thread(reader);
            t1.start();
            t2.start();
            Thread.sleep(seconds * 1000L);
            traffic.stop();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!stats.allAccountedFor() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            reader.stop();
            t1.join();
            t2.join();
            JobMetricsProbe.Snapshot metrics = null;
            try {
                JobMetricsProbe probe = new JobMetricsProbe(port, job.getJobID().toHexString());
                // Flink's REST copy of the metrics lags by up to its fetch interval: wait until it
                // has counted every event this level labeled.
                long labeled = stats.accounting.snapshot().labeled();
                long until = System.nanoTime() + 15_000_000_000L;
                metrics = probe.snapshot();
                while (metrics.labeled() < labeled && System.nanoTime() < until) {
                    Thread.sleep(500);
                    metrics = probe.snapshot();
                }
            } catch (Exception e) {
                System.err.println("job metrics not readable: " + e);
            }
            job.cancel().get();
            // No failure is injected here, so even at-least-once must not duplicate.
            requireExact(stats);
            System.err.printf(
                    "%s at %.1f/s: e2e p50 %d ms, p99 %d ms; processing p50 %d ms, p99 %d ms; %s%n",
                    delivery,
                    rate,
                    stats.latencyPercentile(0.5),
                    stats.latencyPercentile(0.99),
                    stats.processingLatencyPercentile(0.5),
                    stats.processingLatencyPercentile(0.99),
                    metrics);
            return new LatencyRun(stats, metrics);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A run that lost or duplicated an event (counted by ids) measured a broken pipeline. */
    private static void requireExact(RoundTripStats stats) {
        DeliveryAccounting.Snapshot a = stats.accounting.snapshot();
        System.err.println("accounting: " + a.line());
        if (!a.exact()) {
            throw new IllegalStateException("events lost or duplicated: " + a.line());
        }
    }
}
