package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on a MiniCluster against the in-process broker, 20,000 events, a real (tiny) model
 * with faults injected into the shared-model layer: poison events, a model that hangs for twice the
 * inference timeout, and rejected submissions. Only the poison events may become dead letters, each
 * with its original partition and offset; every other event is labeled exactly once.
 */
class InferenceFailureITCase extends PipelineITCaseBase {

    static final int EVENTS = 20_000;
    static final int POISON = 20;

    @TempDir static Path tmp;
    static Path bundle;

    @BeforeAll
    static void buildBundle() throws Exception {
        bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");
    }

    @Test
    void onlyThePoisonEventsAreDeadLetteredWithTheirOrigin() throws Exception {
        try (ModelFaults faults = new ModelFaults(1).poison("POISON").install()) {
            Result r = run("poison", POISON, Map.of());
            assertThat(r.inferenceDeadLetters.keySet()).isEqualTo(r.poisonOrigins);
            r.inferenceDeadLetters.forEach(
                    (origin, d) -> {
                        assertThat(d.getReason()).isEqualTo("INFERENCE_FAILED");
                        assertThat(d.getErrorMessage()).contains("POISON");
                        assertThat(d.getKey()).isNotNull();
                        assertThat(d.getValue()).isNotNull();
                    });
            assertThat(r.labeledCounts.keySet()).isEqualTo(r.healthyIds);
            assertThat(faults.poisonCalls()).isPositive();
        }
    }

    @Test
    void aModelHangingForTwiceTheTimeoutDeadLettersNothing() throws Exception {
        try (ModelFaults faults = new ModelFaults(2).hangOnceAfter(20, 60_000).install()) {
            Result r = run("stall", 0, Map.of(JobOptions.TIMEOUT.key(), "30 s"));
            assertThat(faults.hangs()).as("the model hung").isEqualTo(1);
            assertThat(r.inferenceDeadLetters).isEmpty();
            assertThat(r.labeledCounts.keySet()).isEqualTo(r.healthyIds);
        }
    }

    @Test
    void rejectedSubmissionsDeadLetterNothing() throws Exception {
        try (ModelFaults faults = new ModelFaults(3).reject(0.10).install()) {
            Result r = run("reject", 0, Map.of());
            assertThat(faults.rejected()).isGreaterThan(faults.calls().size() / 20);
            assertThat(r.inferenceDeadLetters).isEmpty();
            assertThat(r.labeledCounts.keySet()).isEqualTo(r.healthyIds);
        }
    }

    /** What one case's job wrote. */
    record Result(
            Set<String> healthyIds,
            Set<String> poisonOrigins,
            Map<String, Integer> labeledCounts,
            Map<String, DeadLetter> inferenceDeadLetters) {}

    /** Produces the events ({@code poison} of them with POISON in their text), runs the job. */
    private Result run(String name, int poison, Map<String, String> extra) throws Exception {
        String in = name + ".in";
        String labeled = name + ".labeled";
        String dlq = name + ".dead-letters";
        kafka.createTopics(4, in, labeled, name + ".moderation", dlq);

        Set<String> healthy = new HashSet<>();
        Set<String> poisonIds = new HashSet<>();
        List<String> ids = new ArrayList<>();
        List<byte[][]> records = new ArrayList<>();
        ChatTraffic traffic = new ChatTraffic(name.hashCode());
        Random random = new Random(name.hashCode());
        Set<Integer> poisonAt = new HashSet<>();
        while (poisonAt.size() < poison) {
            poisonAt.add(random.nextInt(EVENTS));
        }
        RecordEncoder<TextEvent> writer =
                RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        for (int i = 0; i < EVENTS; i++) {
            String id = name + "-" + i;
            String key = traffic.nextKey(200);
            String text =
                    poisonAt.contains(i) ? "POISON " + traffic.nextText() : traffic.nextText();
            TextEvent e = Events.createdNow(id, key, text, "itcase");
            records.add(new byte[][] {key.getBytes(StandardCharsets.UTF_8), writer.encode(e)});
            ids.add(id);
        }
        List<RecordMetadata> written =
                KafkaTestClients.produce(kafka.bootstrapServers(), in, records);
        Set<String> poisonOrigins = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            if (poisonAt.contains(i)) {
                poisonOrigins.add(written.get(i).partition() + "@" + written.get(i).offset());
                poisonIds.add(ids.get(i));
            } else {
                healthy.add(ids.get(i));
            }
        }

        Map<String, String> settings = new HashMap<>(extra);
        settings.put(JobOptions.INPUT_TOPIC.key(), in);
        settings.put(JobOptions.LABELED_TOPIC.key(), labeled);
        settings.put(JobOptions.MODERATION_TOPIC.key(), name + ".moderation");
        settings.put(JobOptions.DEAD_LETTER_TOPIC.key(), dlq);
        settings.put(JobOptions.GROUP_ID.key(), name);
        Configuration conf = jobConfig(bundle, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ClassificationWorkflow.of(conf)
                .define(
                        env,
                        ClassificationJob.kafkaSourceBuilder(conf)
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        ClassificationJob.kafkaSinks(conf));
        env.execute("inference-failure-" + name);

        Map<String, Integer> counts = new HashMap<>();
        for (var rec :
                KafkaTestClients.readCommitted(
                        kafka.bootstrapServers(), labeled, Duration.ofSeconds(3))) {
            LabeledEvent e = LabeledEvent.fromByteBuffer(ByteBuffer.wrap(rec.value()));
            counts.merge(e.getEvent().getEventId(), 1, Integer::sum);
        }
        Map<String, DeadLetter> inferenceLetters = new HashMap<>();
        int inferenceLetterCount = 0;
        for (var rec :
                KafkaTestClients.readCommitted(
                        kafka.bootstrapServers(), dlq, Duration.ofSeconds(2))) {
            DeadLetter d = DeadLetter.fromByteBuffer(ByteBuffer.wrap(rec.value()));
            if (d.getStage().equals("inference")) {
                inferenceLetterCount++;
                inferenceLetters.put(d.getSourcePartition() + "@" + d.getSourceOffset(), d);
            }
        }
        int duplicates =
                counts.values().stream().mapToInt(c -> c - 1).sum()
                        + inferenceLetterCount
                        - inferenceLetters.size();
        long missing =
                healthy.stream().filter(id -> !counts.containsKey(id)).count()
                        + poisonOrigins.stream()
                                .filter(o -> !inferenceLetters.containsKey(o))
                                .count();
        System.out.printf(
                "inference-faults: case=%s in=%d labeled=%d dlq=%d poison=%d duplicates=%d"
                        + " missing=%d%n",
                name,
                EVENTS,
                counts.values().stream().mapToInt(Integer::intValue).sum(),
                inferenceLetterCount,
                poison,
                duplicates,
                missing);
        assertThat(duplicates).as("duplicates").isZero();
        assertThat(poisonIds).allSatisfy(id -> assertThat(counts).doesNotContainKey(id));
        return new Result(healthy, poisonOrigins, counts, inferenceLetters);
    }
}
