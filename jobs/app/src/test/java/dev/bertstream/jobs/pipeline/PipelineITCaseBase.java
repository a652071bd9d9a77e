package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real in-process Kafka broker with the job's topics, event producers and read_committed readers.
 */
abstract class PipelineITCaseBase {

    static final String IN = "chat.text-events";
    static final String LABELED = "chat.labeled";
    static final String MODERATION = "chat.moderation";
    static final String DLQ = "chat.dead-letters";

    static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafkaCluster.builder().build().start();
        kafka.createTopics(4, IN, LABELED, MODERATION, DLQ);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /**
     * Produces {@code count} events with ids {@code prefix-N}, a share of them malformed; returns
     * the malformed count.
     */
    static int produce(
            String prefix, int count, double malformedShare, long seed, Set<String> validIds) {
        ChatTraffic traffic = new ChatTraffic(seed);
        RecordEncoder<TextEvent> writer =
                RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        List<byte[][]> records = new ArrayList<>();
        int malformed = 0;
        for (int i = 0; i < count; i++) {
            String key = traffic.nextKey(200);
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            if (traffic.nextMalformed(malformedShare)) {
                records.add(new byte[][] {keyBytes, traffic.malformedValue()});
                malformed++;
                continue;
            }
            String id = prefix + "-" + i;
            TextEvent e = Events.createdNow(id, key, traffic.nextText(), "itcase");
            records.add(new byte[][] {keyBytes, writer.encode(e)});
            validIds.add(id);
        }
        KafkaTestClients.produce(kafka.bootstrapServers(), IN, records);
        return malformed;
    }

    /** The job configuration against the embedded broker with the given model bundle. */
    static Configuration jobConfig(Path bundle, Map<String, String> extra) {
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
        m.putAll(extra);
        Configuration conf = Configuration.fromMap(m);
        JobConfig.validate(conf);
        return conf;
    }

    static List<LabeledEvent> readLabeled(Duration quiet) throws java.io.IOException {
        List<LabeledEvent> out = new ArrayList<>();
        for (var r : KafkaTestClients.readCommitted(kafka.bootstrapServers(), LABELED, quiet)) {
            out.add(LabeledEvent.fromByteBuffer(ByteBuffer.wrap(r.value())));
        }
        return out;
    }

    static List<DeadLetter> readDeadLetters(Duration quiet) throws java.io.IOException {
        List<DeadLetter> out = new ArrayList<>();
        for (var r : KafkaTestClients.readCommitted(kafka.bootstrapServers(), DLQ, quiet)) {
            out.add(DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value())));
        }
        return out;
    }

    /** Counts per event id. */
    static Map<String, Integer> countById(List<LabeledEvent> events) {
        Map<String, Integer> counts = new HashMap<>();
        events.forEach(e -> counts.merge(e.getEvent().getEventId(), 1, Integer::sum));
        return counts;
    }
}
