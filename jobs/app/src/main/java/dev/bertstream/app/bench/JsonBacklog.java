package dev.bertstream.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;

/**
 * A backlog of the job's JSON input events ({@code event_id}, {@code key}, {@code text}, {@code
 * source}, {@code created_at}), written once and read from the earliest offset by every path a
 * bench compares: the one input format both the DataStream job and a Flink SQL JSON table read, so
 * the paths decode the same bytes.
 */
final class JsonBacklog {

    private JsonBacklog() {}

    /** Writes one event per text, ids {@code b-0, b-1, ...}, over 500 conversations. */
    static void write(String bootstrap, String topic, List<String> texts) {
        ObjectMapper json = new ObjectMapper();
        long createdAt = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap, "linger.ms", 20),
                        new StringSerializer(),
                        new StringSerializer())) {
            for (int i = 0; i < texts.size(); i++) {
                String key = "conv-" + (i % 500);
                ObjectNode e = json.createObjectNode();
                e.put("event_id", "b-" + i);
                e.put("key", key);
                e.put("text", texts.get(i));
                e.put("source", "bench");
                e.put("created_at", createdAt);
                producer.send(new ProducerRecord<>(topic, key, e.toString()));
            }
            producer.flush();
        }
    }
}
