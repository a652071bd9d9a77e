package dev.bertstream.jobs.testutils;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", "5"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
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
     * {@code quiet}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrap, String topic, Duration quiet) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        Map.of(
                                "bootstrap.servers",
                                bootstrap,
                                "group.id",
                                "verify-" + UUID.randomUUID(),
                                "auto.offset.reset",
                                "earliest",
                                "isolation.level",
                                "read_committed",
                                "enable.auto.commit",
                                "false"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
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
