package dev.bertstream.app.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads one output topic with read_committed, as a downstream consumer would, and keeps per event
 * id the time the job labeled it (a field of the output record): what a bench needs to count
 * distinct labeled events and their rate, whatever the output's format.
 */
final class LabeledTimesReader implements Runnable {

    /** Reads the event id and labeling time out of one output record's value. */
    @FunctionalInterface
    interface Decoder {
        Labeled decode(byte[] value) throws Exception;
    }

    /** One output record: the input event's id and when the job labeled it (epoch ms). */
    record Labeled(String eventId, long labeledAtMillis) {}

    private final String bootstrap;
    private final String topic;
    private final Decoder decoder;
    private final Map<String, Long> labeledAt = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    LabeledTimesReader(String bootstrap, String topic, Decoder decoder) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.decoder = decoder;
    }

    /** Distinct event ids read so far. */
    int distinct() {
        return labeledAt.size();
    }

    /** Records of an id already read. */
    long duplicates() {
        return duplicates.get();
    }

    /** The labeling times of the distinct ids read so far. */
    long[] labeledAtMillis() {
        return labeledAt.values().stream().mapToLong(Long::longValue).toArray();
    }

    /** Throws what stopped the reader (an unreadable record), if anything did. */
    void check() throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "bert-stream-bench-reader-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Labeled l = decoder.decode(r.value());
                    if (labeledAt.putIfAbsent(l.eventId(), l.labeledAtMillis()) != null) {
                        duplicates.incrementAndGet();
                    }
                }
            }
        } catch (Exception e) {
            failure.set(
                    new IllegalStateException(
                            "Cannot read the output topic " + topic + ": " + e, e));
        }
    }
}
