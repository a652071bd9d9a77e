package dev.bertstream.app.demo;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.annotation.Internal;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Generates the demo's input: {@link ChatTraffic} texts produced to the input topic at a fixed
 * rate, with a share of malformed records, until stopped.
 */
@Internal
public final class TrafficGenerator implements Runnable {

    private final Properties client;
    private final String topic;
    private final double eventsPerSecond;
    private final double malformedShare;
    private final RoundTripStats stats;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private String idPrefix = "demo-";

    public TrafficGenerator(
            String bootstrap,
            String topic,
            double eventsPerSecond,
            double malformedShare,
            RoundTripStats stats) {
        this(
                OutputTopicReader.bootstrapOnly(bootstrap),
                topic,
                eventsPerSecond,
                malformedShare,
                stats);
    }

    /** As above with Kafka client settings {@code client} (bootstrap servers, security). */
    public TrafficGenerator(
            Properties client,
            String topic,
            double eventsPerSecond,
            double malformedShare,
            RoundTripStats stats) {
        this.client = client;
        this.topic = topic;
        this.eventsPerSecond = eventsPerSecond;
        this.malformedShare = malformedShare;
        this.stats = stats;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("linger.ms", "2");
        return p;
    }

    /** Event ids are {@code prefix + sequence number}; {@code demo-} unless set. */
    public TrafficGenerator idPrefix(String prefix) {
        this.idPrefix = prefix;
        return this;
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        ChatTraffic traffic = new ChatTraffic(System.nanoTime());
        RecordEncoder<TextEvent> writer =
                RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(
                        producerProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            while (running.get()) {
                long due = (long) ((System.nanoTime() - start) / 1e9 * eventsPerSecond);
                for (; sent < due && running.get(); sent++) {
                    String key = traffic.nextKey(500);
                    byte[] value;
                    boolean malformed = traffic.nextMalformed(malformedShare);
                    if (malformed) {
                        value = traffic.malformedValue();
                        stats.producedMalformed.incrementAndGet();
                    } else {
                        String id = idPrefix + sent;
                        stats.accounting.sentEvent(id);
                        value =
                                writer.encode(
                                        TextEvent.newBuilder()
                                                .setEventId(id)
                                                .setKey(key)
                                                .setText(traffic.nextText())
                                                .setSource("demo")
                                                .setLang(null)
                                                .setCreatedAt(Instant.now())
                                                .setAttributes(Map.of())
                                                .build());
                    }
                    // A malformed record has no id of its own: it is known by where it landed.
                    p.send(
                            new ProducerRecord<>(
                                    topic, key.getBytes(StandardCharsets.UTF_8), value),
                            (meta, error) -> {
                                if (malformed && error == null) {
                                    stats.accounting.sentMalformed(meta.partition(), meta.offset());
                                }
                            });
                    stats.produced.incrementAndGet();
                }
                p.flush();
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
