package dev.bertstream.jobs.bench;

import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.demo.ChatTraffic;
import dev.bertstream.jobs.demo.DemoReader;
import dev.bertstream.jobs.demo.DemoStats;
import dev.bertstream.jobs.demo.DemoTraffic;
import dev.bertstream.jobs.local.EmbeddedKafkaCluster;
import dev.bertstream.jobs.local.LocalPipeline;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.training.DefaultBundle;
import dev.bertstream.serde.WireFormat;
import dev.bertstream.serde.codec.AvroRecordWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench pipeline}: the whole job with exactly-once Kafka on an in-process broker. Measures the highest
 * sustainable events/s (draining a backlog), model-only throughput at the same batch settings, and latency at
 * 25/50/75% of the maximum rate.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Throughput and end-to-end latency of the whole job (embedded Kafka, exactly-once).")
final class PipelineBenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", description = "Model bundle (default: the default bundle).")
    Path model;

    @Option(names = "--events", defaultValue = "10000", description = "Backlog size for the throughput run. Default: ${DEFAULT-VALUE}.")
    int events;

    @Option(names = "--seconds", defaultValue = "30", description = "Seconds per latency level. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--out", defaultValue = "target/bench-pipeline", description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path bundle = model != null ? model : DefaultBundle.ensure(DefaultBundle.defaultLocation(), System.err);
        List<String> texts = new ArrayList<>();
        ChatTraffic traffic = new ChatTraffic(5);
        for (int i = 0; i < events; i++) {
            texts.add(traffic.nextText());
        }
        int maxSize = JobOptions.BATCH_MAX_SIZE.defaultValue();
        double modelOnly = modelOnly(bundle, texts, maxSize);
        System.err.printf("model-only at batch %d: %.1f events/s%n", maxSize, modelOnly);
        double pipeline = maxThroughput(bundle, texts);
        System.err.printf("pipeline max: %.1f events/s (%.0f%% of model-only)%n", pipeline, 100 * pipeline / modelOnly);

        StringBuilder md = new StringBuilder(String.format("model-only (batch %d, same texts): %.1f events/s%n%n"
                + "pipeline, draining a %d-event backlog: %.1f events/s = %.0f%% of model-only%n%n"
                + "| load | rate (events/s) | p50 ms | p99 ms | p999 ms | processing p50 ms | processing p99 ms |%n"
                + "|---|---|---|---|---|---|---|%n", maxSize, modelOnly, events, pipeline, 100 * pipeline / modelOnly));
        XYChart cdf = new XYChartBuilder().width(900).height(560).title("End-to-end latency CDF (read_committed)")
                .xAxisTitle("latency (ms)").yAxisTitle("fraction of events").build();
        for (double load : new double[] {0.25, 0.5, 0.75}) {
            DemoStats s = latencyRun(bundle, pipeline * load);
            md.append(String.format("| %.0f%% | %.1f | %d | %d | %d | %d | %d |%n", load * 100, pipeline * load,
                    s.latencyPercentile(0.5), s.latencyPercentile(0.99), s.latencyPercentile(0.999),
                    s.processingLatencyPercentile(0.5), s.processingLatencyPercentile(0.99)));
            long[] sorted = s.sortedLatencies();
            if (sorted.length > 0) {
                double[] x = new double[sorted.length];
                double[] y = new double[sorted.length];
                for (int i = 0; i < sorted.length; i++) {
                    x[i] = sorted[i];
                    y[i] = (i + 1.0) / sorted.length;
                }
                cdf.addSeries(String.format("%.0f%% of max", load * 100), x, y);
            }
        }
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.saveBitmap(cdf, out.resolve("latency-cdf.png").toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.writeString(out.resolve("results.md"), md);
        System.out.println(md);
        return 0;
    }

    private static double modelOnly(Path bundle, List<String> texts, int batchSize) throws Exception {
        try (ModelBundle b = ModelBundle.load(bundle, SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(b).maxBatchSize(batchSize).build()) {
            p.predict(texts.subList(0, Math.min(texts.size(), 256)));
            long start = System.nanoTime();
            for (int i = 0; i < texts.size(); i += batchSize) {
                p.predict(texts.subList(i, Math.min(texts.size(), i + batchSize)));
            }
            return texts.size() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Preloads the backlog, then runs the bounded job over it; events over the job's net runtime. */
    private static double maxThroughput(Path bundle, List<String> texts) throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createTopics(kafka, 4);
            AvroRecordWriter<TextEvent> writer = AvroRecordWriter.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < texts.size(); i++) {
                    String key = "conv-" + (i % 500);
                    p.send(new ProducerRecord<>(JobOptions.INPUT_TOPIC.defaultValue(), key.getBytes(StandardCharsets.UTF_8),
                            writer.write(TextEvent.newBuilder().setEventId("b-" + i).setKey(key).setText(texts.get(i))
                                    .setSource("bench").setCreatedAt(Instant.now()).setAttributes(Map.of()).build())));
                }
            }
            JobClient job = LocalPipeline.start(LocalPipeline.config(kafka, bundle, List.of(
                    "--" + JobOptions.STARTING_OFFSETS.key(), "earliest")), 0, true);
            long runtime = job.getJobExecutionResult().get().getNetRuntime();
            return texts.size() / (runtime / 1000.0);
        }
    }

    private DemoStats latencyRun(Path bundle, double rate) throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createTopics(kafka, 4);
            JobClient job = LocalPipeline.start(LocalPipeline.config(kafka, bundle, List.of()), 0, false);
            LocalPipeline.awaitRunning(job);
            DemoStats stats = new DemoStats();
            DemoTraffic traffic = new DemoTraffic(kafka.bootstrapServers(), JobOptions.INPUT_TOPIC.defaultValue(), rate, 0, stats);
            DemoReader reader = new DemoReader(kafka.bootstrapServers(), JobOptions.LABELED_TOPIC.defaultValue(),
                    JobOptions.MODERATION_TOPIC.defaultValue(), JobOptions.DEAD_LETTER_TOPIC.defaultValue(), stats);
            Thread t1 = new Thread(traffic);
            Thread t2 = new Thread(reader);
            t1.start();
            t2.start();
            Thread.sleep(seconds * 1000L);
            traffic.stop();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (stats.labeled.get() < stats.produced.get() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            reader.stop();
            t1.join();
            t2.join();
            job.cancel().get();
            System.err.printf("rate %.1f/s: p50 %d ms, p99 %d ms%n", rate, stats.latencyPercentile(0.5),
                    stats.latencyPercentile(0.99));
            return stats;
        }
    }
}
