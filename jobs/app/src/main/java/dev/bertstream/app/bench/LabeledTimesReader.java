package dev.bertstream.app.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

    /** Where this reader starts: the topic's end when it was created. */
    private final Map<TopicPartition, Long> start;

    /**
     * A reader of what is written to {@code topic} from now on: an earlier round's output in the
     * same topic is not this run's. Create it before the job starts.
     */
    LabeledTimesReader(String bootstrap, String topic, Decoder decoder) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.decoder = decoder;
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> partitions =
                    c.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            // read_committed: the last stable offset, so an earlier job's open transaction is read
            // (and skipped as aborted) rather than jumped over together with this run's output.
            this.start = c.endOffsets(partitions);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
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
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.assign(start.keySet());
            start.forEach(c::seek);
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
