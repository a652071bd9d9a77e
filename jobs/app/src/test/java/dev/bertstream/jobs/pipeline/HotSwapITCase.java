package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.jobs.testutils.FlinkTestCluster;
import dev.bertstream.jobs.testutils.JobMetrics;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.ModelRolloutJson;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model roll-out and roll-back without a restart: the whole job on a MiniCluster against a real
 * in-process broker, 20,000 events in four phases while the control topic takes the default model
 * from version 1 to 2, back to 1, and then offers a damaged version 3. Every event must be labeled
 * exactly once, by the version serving when it arrived; in each input partition the versions run 1,
 * 2, 1 in offset order; version 3 is rejected on every subtask and version 1 keeps serving.
 */
class HotSwapITCase extends PipelineITCaseBase {

    static final String CONTROL = "bert-stream.control";
    static final int PHASES = 4;
    static final int PER_PHASE = 5_000;
    static final int PARALLELISM = 2;
    static final Duration PHASE_TIMEOUT = Duration.ofMinutes(3);

    @TempDir static Path tmp;

    @BeforeAll
    static void createControlTopic() throws Exception {
        kafka.createTopics(1, CONTROL);
    }

    @Test
    void rollsOutAndBackWithoutARestartAndRejectsADamagedBundle() throws Exception {
        Path v1 = TestBundles.chatBundle(tmp.resolve("v1"), "1");
        Path v2 = TestBundles.chatBundle(tmp.resolve("v2"), "2");
        Path v3 = TestBundles.chatBundle(tmp.resolve("v3"), "3");
        ModelRollout damagedV3 =
                new ModelRollout(v3.toString(), "3", TestBundles.manifestSha256(v3));
        Files.write(largestFile(v3), new byte[] {42}, StandardOpenOption.APPEND);

        Configuration conf = jobConfig(v1, Map.of(JobOptions.CONTROL_TOPIC.key(), CONTROL));
        Map<String, Produced> produced = new HashMap<>();
        Map<String, String> expectedVersion = new HashMap<>();
        long restarts;
        boolean recovered;
        double rejectedPerSubtask;
        double rejectedTotal;
        try (FlinkTestCluster flink = FlinkTestCluster.start(1, PARALLELISM, PARALLELISM)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            ClassificationWorkflow.of(conf)
                    .optModelRollouts(ClassificationJob.controlSource(conf))
                    .define(
                            env,
                            ClassificationJob.kafkaSource(conf),
                            ClassificationJob.kafkaSinks(conf));
            JobClient job = env.executeAsync("hot-swap-itcase");
            JobID id = job.getJobID();
            JobMetrics metrics = flink.metrics();

            produce(0, produced, expectedVersion, "1");
            await(metrics, id, "eventsLabeled", n -> n >= PER_PHASE);

            publish(rollout(v2, "2"));
            await(metrics, id, "modelRolloutsApplied", n -> n == PARALLELISM);
            produce(1, produced, expectedVersion, "2");
            await(metrics, id, "eventsLabeled", n -> n >= 2 * PER_PHASE);

            publish(rollout(v1, "1"));
            await(metrics, id, "modelRolloutsApplied", n -> n == 2 * PARALLELISM);
            produce(2, produced, expectedVersion, "1");
            await(metrics, id, "eventsLabeled", n -> n >= 3 * PER_PHASE);

            publish(damagedV3);
            await(metrics, id, "modelRolloutsRejected", n -> n == PARALLELISM);
            produce(3, produced, expectedVersion, "1");
            await(metrics, id, "eventsLabeled", n -> n >= PHASES * PER_PHASE);

            // The last outputs become visible to read_committed readers at the next checkpoint.
            long labeledAt = flink.latestCompletedCheckpoint(id);
            long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            while (flink.latestCompletedCheckpoint(id) < labeledAt + 2) {
                assertThat(System.nanoTime()).as("checkpoints complete").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(metrics.has(id, "numRestarts")).as("numRestarts is reported").isTrue();
            restarts = (long) metrics.max(id, "numRestarts");
            recovered = flink.latestRestore(id) != null;
            rejectedPerSubtask = metrics.max(id, "modelRolloutsRejected");
            rejectedTotal = metrics.sum(id, "modelRolloutsRejected");
            job.cancel().get();
        }

        List<LabeledEvent> labeled = readLabeled(Duration.ofSeconds(3));
        Map<String, Integer> counts = countById(labeled);
        int duplicates = counts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = produced.keySet().stream().filter(i -> !counts.containsKey(i)).count();
        Map<Integer, List<String>> runsPerPartition = versionRunsPerPartition(labeled, produced);
        String versions =
                runsPerPartition.values().iterator().next().stream()
                        .collect(Collectors.joining(","));
        System.out.printf(
                "hot-swap: in=%d labeled=%d duplicates=%d missing=%d versions=%s rejected=%d"
                        + " restarts=%d%n",
                produced.size(),
                labeled.size(),
                duplicates,
                missing,
                versions,
                (long) rejectedPerSubtask,
                restarts);

        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(labeled).hasSize(PHASES * PER_PHASE);
        assertThat(labeled)
                .as("each event is labeled by the version serving when it arrived")
                .allSatisfy(
                        e ->
                                assertThat(e.getModelVersion())
                                        .as(e.getEvent().getEventId())
                                        .isEqualTo(expectedVersion.get(e.getEvent().getEventId())));
        assertThat(runsPerPartition)
                .as("in every input partition the versions run 1, 2, 1 in offset order")
                .hasSize(4)
                .allSatisfy((p, runs) -> assertThat(runs).containsExactly("1", "2", "1"));
        assertThat(rejectedTotal)
                .as("every subtask rejected the damaged bundle once")
                .isEqualTo(PARALLELISM * rejectedPerSubtask)
                .isEqualTo(PARALLELISM);
        assertThat(restarts).isZero();
        assertThat(recovered).as("the job never restored from a checkpoint").isFalse();
    }

    /** Where an event landed in the input topic. */
    record Produced(int partition, long offset) {}

    /** Produces phase {@code phase}'s events, which version {@code version} is to label. */
    private static void produce(
            int phase,
            Map<String, Produced> produced,
            Map<String, String> expectedVersion,
            String version) {
        ChatTraffic traffic = new ChatTraffic(100 + phase);
        RecordEncoder<TextEvent> writer =
                RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        List<byte[][]> records = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PER_PHASE; i++) {
            String key = traffic.nextKey(200);
            String id = "h" + phase + "-" + i;
            TextEvent e = Events.createdNow(id, key, traffic.nextText(), "hot-swap");
            records.add(new byte[][] {key.getBytes(StandardCharsets.UTF_8), writer.encode(e)});
            ids.add(id);
        }
        List<RecordMetadata> sent = KafkaTestClients.produce(kafka.bootstrapServers(), IN, records);
        for (int i = 0; i < ids.size(); i++) {
            produced.put(ids.get(i), new Produced(sent.get(i).partition(), sent.get(i).offset()));
            expectedVersion.put(ids.get(i), version);
        }
    }

    private static void publish(ModelRollout rollout) {
        byte[] json = ModelRolloutJson.format(rollout).getBytes(StandardCharsets.UTF_8);
        KafkaTestClients.produce(
                kafka.bootstrapServers(), CONTROL, List.<byte[][]>of(new byte[][] {null, json}));
    }

    private static ModelRollout rollout(Path bundle, String version) throws Exception {
        return new ModelRollout(bundle.toString(), version, TestBundles.manifestSha256(bundle));
    }

    /** Waits until the job's metric {@code name}, summed over subtasks, satisfies {@code done}. */
    private static void await(JobMetrics metrics, JobID id, String name, DoublePredicate done)
            throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (!done.test(metrics.sum(id, name))) {
            assertThat(System.nanoTime())
                    .as("%s reached its goal; it is %s", name, metrics.sum(id, name))
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Per input partition, the model versions in offset order with repeats collapsed. */
    private static Map<Integer, List<String>> versionRunsPerPartition(
            List<LabeledEvent> labeled, Map<String, Produced> produced) {
        Map<Integer, TreeMap<Long, String>> byPartition = new TreeMap<>();
        for (LabeledEvent e : labeled) {
            Produced p = produced.get(e.getEvent().getEventId());
            byPartition
                    .computeIfAbsent(p.partition(), k -> new TreeMap<>())
                    .put(p.offset(), e.getModelVersion());
        }
        Map<Integer, List<String>> runs = new TreeMap<>();
        byPartition.forEach(
                (partition, versions) -> {
                    List<String> r = new ArrayList<>();
                    for (String v : versions.values()) {
                        if (r.isEmpty() || !r.get(r.size() - 1).equals(v)) {
                            r.add(v);
                        }
                    }
                    runs.put(partition, r);
                });
        return runs;
    }

    private static Path largestFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("bundle.json"))
                    .max(Comparator.comparingLong(f -> f.toFile().length()))
                    .orElseThrow();
        }
    }
}
