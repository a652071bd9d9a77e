package dev.bertstream.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.demo.ChatTraffic;
import dev.bertstream.jobs.local.EmbeddedKafkaCluster;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.WireFormat;
import dev.bertstream.serde.codec.AvroRecordWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster against a real in-process Kafka broker: 20,000 events, 5% malformed,
 * checkpoints every second and one task failure mid-stream; every valid event must come out labeled exactly
 * once and every malformed record must be in the dead-letter topic.
 */
class ExactlyOnceITCase {

    static final int EVENTS = 20_000;
    static final double MALFORMED = 0.05;
    static final String IN = "chat.text-events";
    static final String LABELED = "chat.labeled";
    static final String MODERATION = "chat.moderation";
    static final String DLQ = "chat.dead-letters";

    @TempDir static Path tmp;
    static EmbeddedKafkaCluster kafka;
    static Path bundle;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.builder().build().start();
        kafka.createTopics(4, IN, LABELED, MODERATION, DLQ);
        bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyEventExactlyOnceDespiteAFailure() throws Exception {
        Set<String> validIds = new HashSet<>();
        int malformed = produce(validIds);

        Configuration conf = jobConfig();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ClassificationJob.configure(env, conf);
        DataStream<DecodedRecord> decoded = env.fromSource(
                ClassificationJob.kafkaSourceBuilder(conf).setBounded(OffsetsInitializer.latest()).build(),
                org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "kafka")
                .map(new FailOnceAfter(EVENTS / 3)).returns(new AvroTypeInfo<>(DecodedRecord.class));
        ClassificationJob.defineWorkflow(decoded, ClassificationJob.kafkaSinks(conf), conf);
        env.execute("exactly-once-itcase");
        assertThat(FailOnceAfter.FAILED.get()).as("the injected failure happened").isTrue();

        Map<String, Integer> labeledCounts = new HashMap<>();
        for (var r : KafkaTestClients.readCommitted(kafka.bootstrapServers(), LABELED, Duration.ofSeconds(3))) {
            LabeledEvent e = LabeledEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
            labeledCounts.merge(e.getEvent().getEventId(), 1, Integer::sum);
            assertThat(e.getModelVersion()).isEqualTo("1");
            assertThat(e.getResults()).extracting(t -> t.getTask()).containsExactly("sentiment", "toxicity", "intent");
        }
        List<DeadLetter> dlq = new ArrayList<>();
        for (var r : KafkaTestClients.readCommitted(kafka.bootstrapServers(), DLQ, Duration.ofSeconds(2))) {
            dlq.add(DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value())));
        }
        int duplicates = labeledCounts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = validIds.stream().filter(id -> !labeledCounts.containsKey(id)).count();
        int labeled = labeledCounts.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("exactly-once: in=%d labeled=%d dlq=%d duplicates=%d missing=%d%n", EVENTS, labeled,
                dlq.size(), duplicates, missing);
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(labeledCounts.keySet()).isEqualTo(validIds);
        assertThat(dlq).hasSize(malformed);
        assertThat(dlq).allSatisfy(d -> {
            assertThat(d.getStage()).isEqualTo("deserialize");
            assertThat(d.getValue()).isNotNull();
        });
        assertThat(labeled + dlq.size()).isEqualTo(EVENTS);
    }

    private static int produce(Set<String> validIds) {
        ChatTraffic traffic = new ChatTraffic(3);
        AvroRecordWriter<TextEvent> writer = AvroRecordWriter.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        List<byte[][]> records = new ArrayList<>();
        int malformed = 0;
        for (int i = 0; i < EVENTS; i++) {
            String key = traffic.nextKey(200);
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            if (traffic.nextMalformed(MALFORMED)) {
                records.add(new byte[][] {keyBytes, traffic.malformedValue()});
                malformed++;
                continue;
            }
            String id = "e-" + i;
            TextEvent e = TextEvent.newBuilder().setEventId(id).setKey(key).setText(traffic.nextText()).setSource("itcase")
                    .setCreatedAt(Instant.now()).setAttributes(Map.of()).build();
            records.add(new byte[][] {keyBytes, writer.write(e)});
            validIds.add(id);
        }
        KafkaTestClients.produce(kafka.bootstrapServers(), IN, records);
        return malformed;
    }

    private static Configuration jobConfig() {
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        m.put(JobOptions.MODEL.key(), bundle.toString());
        m.put(JobOptions.INPUT_TOPIC.key(), IN);
        m.put(JobOptions.LABELED_TOPIC.key(), LABELED);
        m.put(JobOptions.MODERATION_TOPIC.key(), MODERATION);
        m.put(JobOptions.DEAD_LETTER_TOPIC.key(), DLQ);
        m.put(JobOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        m.put(JobOptions.TRANSACTION_TIMEOUT.key(), "5 min");
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.PARALLELISM.key(), "2");
        m.put("serde.input.format", "SINGLE_OBJECT");
        m.put("serde.output.format", "SINGLE_OBJECT");
        m.put("restart-strategy.type", "fixed-delay");
        m.put("restart-strategy.fixed-delay.attempts", "3");
        m.put("restart-strategy.fixed-delay.delay", "500 ms");
        Configuration conf = Configuration.fromMap(m);
        JobConfig.validate(conf);
        return conf;
    }

    /** Throws once, in one subtask, after it has passed {@code after} records: a task failure mid-stream. */
    static final class FailOnceAfter implements MapFunction<DecodedRecord, DecodedRecord> {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger SEEN = new AtomicInteger();
        private final int after;

        FailOnceAfter(int after) {
            this.after = after;
        }

        @Override
        public DecodedRecord map(DecodedRecord r) {
            if (SEEN.incrementAndGet() > after && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + after + " records");
            }
            return r;
        }
    }
}
