package dev.bertstream.jobs.testutils;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Plain Kafka producers and read_committed consumers for integration tests. */
public final class KafkaTestClients {

    private KafkaTestClients() {}

    /**
     * Writes {@code records} (key, value) to {@code topic} and flushes; returns where each landed,
     * in order.
     */
    public static List<RecordMetadata> produce(
            String bootstrap, String topic, List<byte[][]> records) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return produce(props, topic, records);
    }

    /** As {@link #produce(String, String, List)} with client settings {@code client}. */
    public static List<RecordMetadata> produce(
            Properties client, String topic, List<byte[][]> records) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("acks", "all");
        props.put("linger.ms", "5");
        // One request in flight: a retry after NOT_LEADER_OR_FOLLOWER cannot overtake later batches
        // (seen as an endless OUT_OF_ORDER_SEQUENCE_NUMBER loop right after topic creation).
        props.put("max.in.flight.requests.per.connection", "1");
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (byte[][] r : records) {
                sent.add(p.send(new ProducerRecord<>(topic, r[0], r[1])));
            }
            p.flush();
            List<RecordMetadata> out = new ArrayList<>();
            for (Future<RecordMetadata> f : sent) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    /**
     * Reads {@code topic} from the beginning with read_committed until nothing new arrives for
     * {@code quiet}, counted from when every partition's start position is known.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrap, String topic, Duration quiet) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return readCommitted(props, topic, quiet);
    }

    /** As {@link #readCommitted(String, String, Duration)} with client settings {@code client}. */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            Properties client, String topic, Duration quiet) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        Properties props = new Properties();
        props.putAll(client);
        props.putIfAbsent("group.id", "verify-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // Assigned and positioned before the quiet clock starts: with subscribe() a group join
            // slower than `quiet` (a loaded CI machine) read an empty topic (labeled=0
            // missing=all).
            List<TopicPartition> partitions =
                    c.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            partitions.forEach(c::position);
            long lastNew = System.nanoTime();
            while (System.nanoTime() - lastNew < quiet.toNanos()) {
                var batch = c.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    batch.forEach(out::add);
                    lastNew = System.nanoTime();
                }
            }
        }
        return out;
    }
}
