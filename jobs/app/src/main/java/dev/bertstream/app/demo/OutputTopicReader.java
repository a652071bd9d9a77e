package dev.bertstream.app.demo;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;

import org.apache.flink.annotation.Internal;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the job's output topics with read_committed, as downstream consumers would, into {@link
 * RoundTripStats}.
 */
@Internal
public final class OutputTopicReader implements Runnable {

    private final Properties client;
    private final String labeledTopic;
    private final String moderationTopic;
    private final String deadLetterTopic;
    private final RoundTripStats stats;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public OutputTopicReader(
            String bootstrap,
            String labeledTopic,
            String moderationTopic,
            String deadLetterTopic,
            RoundTripStats stats) {
        this(bootstrapOnly(bootstrap), labeledTopic, moderationTopic, deadLetterTopic, stats);
    }

    /** As above with Kafka client settings {@code client} (bootstrap servers, security). */
    public OutputTopicReader(
            Properties client,
            String labeledTopic,
            String moderationTopic,
            String deadLetterTopic,
            RoundTripStats stats) {
        this.client = client;
        this.labeledTopic = labeledTopic;
        this.moderationTopic = moderationTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.stats = stats;
    }

    /** Client settings with only {@code bootstrap.servers}. */
    public static Properties bootstrapOnly(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    /** A group.id from the client settings is kept: a secured cluster grants named groups only. */
    private Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(client);
        p.putIfAbsent("group.id", "bert-stream-demo-reader-" + java.util.UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        return p;
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        consumerProperties(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            c.subscribe(List.of(labeledTopic, moderationTopic, deadLetterTopic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    long now = System.currentTimeMillis();
                    if (r.topic().equals(deadLetterTopic)) {
                        try {
                            stats.onDeadLetter(
                                    DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value())));
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(
                                    "The job wrote an unreadable dead letter", e);
                        }
                    } else if (r.topic().equals(moderationTopic)) {
                        stats.moderated.incrementAndGet();
                    } else {
                        try {
                            stats.onLabeled(
                                    LabeledEvent.fromByteBuffer(ByteBuffer.wrap(r.value())), now);
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException(
                                    "The job wrote an unreadable labeled event", e);
                        }
                    }
                }
            }
        }
    }
}
