package dev.bertstream.app.bench;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench soak}: the whole job (in-process broker, MiniCluster, exactly-once) at a steady
 * share of its measured capacity for many minutes, sampling the process's resident memory and the
 * heap left after garbage collection every 10 s. A leak shows as a slope after warm-up; the run
 * also counts every event id, so nothing may be lost or duplicated.
 *
 * <p>Event ids are sequence numbers counted in an array, so the harness itself does not grow the
 * heap it measures by a map entry per event.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description =
                "Runs the pipeline at a share of its capacity for N minutes and records memory"
                        + " (RSS, heap after GC) every 10 s.")
final class SoakCommand implements Callable<Integer> {

    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    @Option(
            names = "--minutes",
            defaultValue = "30",
            description = "Length of the run. Default: ${DEFAULT-VALUE}.")
    int minutes;

    @Option(
            names = "--load",
            defaultValue = "0.7",
            description = "Share of the measured capacity to run at. Default: ${DEFAULT-VALUE}.")
    double load;

    @Option(
            names = "--rate",
            description = "Events/s to run at, instead of measuring the capacity first.")
    Double rate;

    @Option(
            names = "--warm-up-minutes",
            defaultValue = "5",
            description =
                    "Samples before this are left out of the slopes. Default: ${DEFAULT-VALUE}.")
    double warmUpMinutes;

    @Mixin BundleOption bundleOption;

    @Option(
            names = "--out",
            defaultValue = "target/bench-soak",
            description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path bundle = bundleOption.resolve();
        String loadAtStart = LoadAverage.now();
        double eventsPerSecond;
        if (rate != null) {
            eventsPerSecond = rate;
        } else {
            List<String> texts = new ArrayList<>();
            ChatTraffic traffic = new ChatTraffic(5);
            for (int i = 0; i < 3000; i++) {
                texts.add(traffic.nextText());
            }
            double capacity = PipelineBenchCommand.maxThroughput(bundle, texts, List.of())[0];
            eventsPerSecond = capacity * load;
            System.err.printf(
                    "capacity %.1f events/s; soaking at %.0f%%: %.1f events/s%n",
                    capacity, load * 100, eventsPerSecond);
        }
        int expected = (int) Math.ceil(eventsPerSecond * minutes * 60 * 1.2) + 1000;
        byte[] labeledCount = new byte[expected];
        byte[] deadLetterCount = new byte[expected];
        List<double[]> samples = new ArrayList<>();
        int sent;
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            LocalPipeline.createTopics(kafka, 4);
            JobClient job =
                    LocalPipeline.start(LocalPipeline.config(kafka, bundle, List.of()), 0, false);
            LocalPipeline.awaitRunning(job);
            Producer producer = new Producer(kafka.bootstrapServers(), eventsPerSecond, expected);
            Reader reader = new Reader(kafka.bootstrapServers(), labeledCount, deadLetterCount);
            Thread p = new Thread(producer, "soak-traffic");
            Thread r = new Thread(reader, "soak-reader");
            p.start();
            r.start();
            long start = System.nanoTime();
            long end = start + Duration.ofMinutes(minutes).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(SAMPLE_EVERY.toMillis());
                double[] s = {
                    (System.nanoTime() - start) / 60e9,
                    rssMegabytes(),
                    heapAfterGcMegabytes(),
                    producer.sent.get(),
                    reader.seen.get()
                };
                samples.add(s);
                System.err.printf(
                        "soak %5.1f/%d min: rss %.0f MB, heap after GC %.0f MB, sent %.0f, seen %.0f%n",
                        s[0], minutes, s[1], s[2], s[3], s[4]);
            }
            producer.stop();
            p.join();
            sent = producer.sent.get();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (reader.seen.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            reader.stop();
            r.join();
            job.cancel().get();
        }
        int lost = 0;
        int duplicates = 0;
        for (int i = 0; i < sent; i++) {
            int times = labeledCount[i] + deadLetterCount[i];
            lost += times == 0 ? 1 : 0;
            duplicates += Math.max(0, times - 1);
        }
        double rssSlope = slopePer10Minutes(samples, 1);
        double heapSlope = slopePer10Minutes(samples, 2);
        String summary =
                String.format(
                        "soak: %d min at %.1f events/s, in=%d lost=%d duplicates=%d; after %.0f min"
                                + " warm-up: RSS %+.1f MB per 10 min (%.0f -> %.0f MB), heap after"
                                + " GC %+.1f MB per 10 min (%.0f -> %.0f MB); load averages at"
                                + " start %s, at end %s",
                        minutes,
                        eventsPerSecond,
                        sent,
                        lost,
                        duplicates,
                        warmUpMinutes,
                        rssSlope,
                        first(samples, 1),
                        samples.get(samples.size() - 1)[1],
                        heapSlope,
                        first(samples, 2),
                        samples.get(samples.size() - 1)[2],
                        loadAtStart,
                        LoadAverage.now());
        write(samples, summary);
        System.out.println(summary);
        return lost == 0 && duplicates == 0 ? 0 : 1;
    }

    private double first(List<double[]> samples, int column) {
        return samples.stream()
                .filter(s -> s[0] >= warmUpMinutes)
                .findFirst()
                .orElse(samples.get(0))[column];
    }

    /** Least-squares slope of {@code column} over the samples after warm-up, in MB per 10 min. */
    private double slopePer10Minutes(List<double[]> samples, int column) {
        List<double[]> after = samples.stream().filter(s -> s[0] >= warmUpMinutes).toList();
        if (after.size() < 2) {
            return Double.NaN;
        }
        double mx = after.stream().mapToDouble(s -> s[0]).average().orElse(0);
        double my = after.stream().mapToDouble(s -> s[column]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] s : after) {
            num += (s[0] - mx) * (s[column] - my);
            den += (s[0] - mx) * (s[0] - mx);
        }
        return 10 * num / den;
    }

    private void write(List<double[]> samples, String summary) throws Exception {
        StringBuilder csv = new StringBuilder("minutes,rss_mb,heap_after_gc_mb,sent,seen\n");
        samples.forEach(
                s ->
                        csv.append(
                                String.format(
                                        "%.2f,%.1f,%.1f,%.0f,%.0f%n",
                                        s[0], s[1], s[2], s[3], s[4])));
        Files.writeString(out.resolve("soak.csv"), csv);
        Files.writeString(out.resolve("results.md"), summary + "\n");
        double[] x = samples.stream().mapToDouble(s -> s[0]).toArray();
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(500)
                        .title("Soak: memory of the whole pipeline process")
                        .xAxisTitle("minutes")
                        .yAxisTitle("MB")
                        .build();
        chart.addSeries("resident set (RSS)", x, samples.stream().mapToDouble(s -> s[1]).toArray())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("heap after GC", x, samples.stream().mapToDouble(s -> s[2]).toArray())
                .setMarker(SeriesMarkers.NONE);
        System.setProperty("java.awt.headless", "true");
        BitmapEncoder.saveBitmap(
                chart, out.resolve("soak.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double rssMegabytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** Heap in use right after the last collection of each pool: what survives, not garbage. */
    private static double heapAfterGcMegabytes() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                bytes += pool.getCollectionUsage().getUsed();
            }
        }
        return bytes / 1048576.0;
    }

    /** Writes events with sequence-number ids at a steady rate. */
    private static final class Producer implements Runnable {
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final String bootstrap;
        private final double rate;
        private final int max;

        Producer(String bootstrap, double rate, int max) {
            this.bootstrap = bootstrap;
            this.rate = rate;
            this.max = max;
        }

        void stop() {
            stopped.set(true);
        }

        @Override
        public void run() {
            ChatTraffic traffic = new ChatTraffic(17);
            RecordEncoder<TextEvent> writer =
                    RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
            long start = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> p =
                    new KafkaProducer<>(
                            Map.of("bootstrap.servers", bootstrap, "linger.ms", "5"),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (int i = 0; !stopped.get() && i < max; i++) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String key = traffic.nextKey(500);
                    TextEvent e =
                            TextEvent.newBuilder()
                                    .setEventId(Integer.toString(i))
                                    .setKey(key)
                                    .setText(traffic.nextText())
                                    .setSource("soak")
                                    .setCreatedAt(Instant.now())
                                    .setAttributes(Map.of())
                                    .build();
                    p.send(
                            new ProducerRecord<>(
                                    JobOptions.INPUT_TOPIC.defaultValue(),
                                    key.getBytes(StandardCharsets.UTF_8),
                                    writer.encode(e)));
                    sent.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Counts, per sequence number, the labeled events and dead letters read back committed. */
    private static final class Reader implements Runnable {
        final AtomicInteger seen = new AtomicInteger();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final String bootstrap;
        private final byte[] labeled;
        private final byte[] deadLettered;

        Reader(String bootstrap, byte[] labeled, byte[] deadLettered) {
            this.bootstrap = bootstrap;
            this.labeled = labeled;
            this.deadLettered = deadLettered;
        }

        void stop() {
            stopped.set(true);
        }

        @Override
        public void run() {
            String labeledTopic = JobOptions.LABELED_TOPIC.defaultValue();
            try (KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(
                            Map.of(
                                    "bootstrap.servers", bootstrap,
                                    "group.id", "soak-reader",
                                    "auto.offset.reset", "earliest",
                                    "isolation.level", "read_committed"),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                c.subscribe(List.of(labeledTopic, JobOptions.DEAD_LETTER_TOPIC.defaultValue()));
                while (!stopped.get()) {
                    for (var rec : c.poll(Duration.ofMillis(200))) {
                        int id;
                        if (rec.topic().equals(labeledTopic)) {
                            LabeledEvent e =
                                    LabeledEvent.fromByteBuffer(ByteBuffer.wrap(rec.value()));
                            id = Integer.parseInt(e.getEvent().getEventId());
                            count(labeled, id);
                        } else {
                            DeadLetter d = DeadLetter.fromByteBuffer(ByteBuffer.wrap(rec.value()));
                            id =
                                    Integer.parseInt(
                                            TextEvent.fromByteBuffer(d.getValue()).getEventId());
                            count(deadLettered, id);
                        }
                        seen.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("soak reader failed", e);
            }
        }

        private static void count(byte[] counts, int id) {
            if (id < counts.length && counts[id] < Byte.MAX_VALUE) {
                counts[id]++;
            }
        }
    }
}
