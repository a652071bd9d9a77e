package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.jobs.testutils.JobMetrics;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roll-out path of a new model, taken under load: the job runs at parallelism 2 with model v1
 * while events keep arriving faster than a slowed model labels them, is stopped with a savepoint
 * while batches are buffered and in flight, restored at parallelism 3 with v2, stopped again under
 * load, and restored at parallelism 1 with v3. Every event must be labeled exactly once, each
 * conversation's events in input order, and within a conversation the model versions must only move
 * forward: no event labeled by an older model after one labeled by a newer.
 */
class SavepointUpgradeITCase extends PipelineITCaseBase {

    @TempDir static Path tmp;

    /** The metrics of the running phase's MiniCluster (a reporter lives as long as its cluster). */
    private JobMetrics metrics;

    @Test
    void upgradeAndRescaleUnderLoadLabelEveryEventOnceInOrderAndVersionsOnlyMoveForward()
            throws Exception {
        Producer producer = new Producer();
        Thread traffic = new Thread(producer, "traffic");
        String savepoint = null;
        int[] parallelism = {2, 3, 1};
        List<Double> restored = new ArrayList<>();
        try (ModelFaults slow = new ModelFaults(5).slowEveryCall(80).install()) {
            traffic.start();
            for (int phase = 0; phase < parallelism.length; phase++) {
                String version = String.valueOf(phase + 1);
                Path model = TestBundles.chatBundle(tmp.resolve("model-v" + version), version);
                Map<String, String> extra = new HashMap<>();
                extra.put(JobOptions.PARALLELISM.key(), String.valueOf(parallelism[phase]));
                extra.put(JobOptions.BATCH_MAX_SIZE.key(), "16");
                extra.put(JobOptions.GROUP_ID.key(), "upgrade");
                extra.put(JobOptions.STARTING_OFFSETS.key(), "committed-or-earliest");
                if (savepoint != null) {
                    extra.put(StateRecoveryOptions.SAVEPOINT_PATH.key(), savepoint);
                }
                JobClient job = start(jobConfig(model, extra), parallelism[phase]);
                if (savepoint != null) {
                    awaitMetric(job, "eventsRestored", Duration.ofSeconds(60));
                    restored.add(metrics.sum(job.getJobID(), "eventsRestored"));
                }
                if (phase == parallelism.length - 1) {
                    producer.stop();
                    traffic.join();
                    awaitAllLabeled(producer.sent.get(), Duration.ofSeconds(180));
                    job.cancel().get();
                    break;
                }
                // Stop only while events wait in the buffer and batches are in the model.
                awaitLoadedOperator(job, Duration.ofSeconds(60));
                savepoint =
                        job.stopWithSavepoint(
                                        false,
                                        tmp.resolve("savepoints").toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get();
            }
        } finally {
            producer.stop();
            traffic.join();
        }

        List<LabeledEvent> labeled = readLabeled(Duration.ofSeconds(3));
        Map<String, Integer> counts = countById(labeled);
        int duplicates = counts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = producer.ids().stream().filter(id -> !counts.containsKey(id)).count();
        // The labeled topic is keyed by conversation: a partition holds each key's output in order.
        Map<String, List<LabeledEvent>> perKey = new HashMap<>();
        labeled.forEach(
                e -> perKey.computeIfAbsent(e.getEvent().getKey(), k -> new ArrayList<>()).add(e));
        int reordered = 0;
        int versionBackwards = 0;
        for (List<LabeledEvent> events : perKey.values()) {
            for (int i = 1; i < events.size(); i++) {
                if (seq(events.get(i)) < seq(events.get(i - 1))) {
                    reordered++;
                }
                if (events.get(i).getModelVersion().compareTo(events.get(i - 1).getModelVersion())
                        < 0) {
                    versionBackwards++;
                }
            }
        }
        Map<String, Long> byVersion = new TreeMap<>();
        labeled.forEach(e -> byVersion.merge(e.getModelVersion(), 1L, Long::sum));
        System.out.printf(
                "savepoint upgrade: in=%d labeled=%d duplicates=%d missing=%d reordered=%d"
                        + " version-backwards=%d by version %s, restored unlabeled %s%n",
                producer.sent.get(),
                labeled.size(),
                duplicates,
                missing,
                reordered,
                versionBackwards,
                byVersion,
                restored);
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(reordered).isZero();
        assertThat(versionBackwards).isZero();
        assertThat(byVersion).containsOnlyKeys("1", "2", "3");
        // Each savepoint held events that were buffered or in flight when it was taken.
        assertThat(restored).hasSize(2).allSatisfy(n -> assertThat(n).isPositive());
    }

    private static long seq(LabeledEvent e) {
        return Long.parseLong(e.getEvent().getEventId().substring("u-".length()));
    }

    private JobClient start(Configuration conf, int parallelism) throws Exception {
        metrics = new JobMetrics();
        conf = metrics.attach(conf);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        // The production assembly: its uids are what a savepoint of a released job holds.
        ClassificationWorkflow.of(conf)
                .define(
                        env,
                        ClassificationJob.kafkaSource(conf),
                        ClassificationJob.kafkaSinks(conf));
        return env.executeAsync("savepoint-upgrade-itcase");
    }

    /** Waits until batches are both buffered and in flight after a checkpoint completed. */
    private void awaitLoadedOperator(JobClient job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (metrics.max(job.getJobID(), "numberOfCompletedCheckpoints") >= 2
                    && metrics.sum(job.getJobID(), "bufferedEvents") > 0
                    && metrics.sum(job.getJobID(), "batchesInFlight") > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the operator never held buffered and in-flight batches");
    }

    private void awaitMetric(JobClient job, String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metrics.sum(job.getJobID(), name) <= 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void awaitAllLabeled(int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (countById(readLabeled(Duration.ofMillis(500))).size() >= expected) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("fewer than " + expected + " labeled events within " + timeout);
    }

    /** Writes events to the input topic at a steady rate until stopped; ids carry a sequence. */
    private static final class Producer implements Runnable {
        final AtomicInteger sent = new AtomicInteger();
        final AtomicBoolean stopped = new AtomicBoolean();
        final List<String> ids = new ArrayList<>();

        @Override
        public void run() {
            RecordEncoder<TextEvent> writer =
                    RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
            try (KafkaProducer<byte[], byte[]> p =
                    new KafkaProducer<>(
                            Map.of(
                                    "bootstrap.servers",
                                    kafka.bootstrapServers(),
                                    "acks",
                                    "all",
                                    "enable.idempotence",
                                    "true"),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (int i = 0; !stopped.get(); i++) {
                    String key = "conv-" + (i % 40);
                    String id = "u-" + i;
                    TextEvent e =
                            Events.createdNow(id, key, "message " + i + " of " + key, "itcase");
                    p.send(
                            new ProducerRecord<>(
                                    IN, key.getBytes(StandardCharsets.UTF_8), writer.encode(e)));
                    synchronized (ids) {
                        ids.add(id);
                    }
                    sent.incrementAndGet();
                    if (i % 15 == 14) {
                        p.flush();
                        Thread.sleep(70); // about 200 events/s, about what the slowed model labels
                    }
                }
                p.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop() {
            stopped.set(true);
        }

        List<String> ids() {
            synchronized (ids) {
                return List.copyOf(ids);
            }
        }
    }
}
