package dev.bertstream.jobs.testutils;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema.KafkaSinkContext;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A sink that turns elements into Kafka records with the job's real {@link
 * KafkaRecordSerializationSchema} (topic, key, value) and keeps them in memory instead of sending
 * them: the workflow's routing and serialization without a broker. For MiniClusters in this JVM.
 */
public final class CollectingRecordSink<T> implements Sink<T>, AutoCloseable {

    private static final long serialVersionUID = 1L;

    // Sinks are serialized into the tasks; the records come back through this JVM-wide map.
    private static final Map<String, Queue<ProducerRecord<byte[], byte[]>>> RECORDS =
            new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final KafkaRecordSerializationSchema<T> schema;

    public CollectingRecordSink(KafkaRecordSerializationSchema<T> schema) {
        this.schema = schema;
        RECORDS.put(id, new ConcurrentLinkedQueue<>());
    }

    /** The records written so far, by all subtasks. */
    public List<ProducerRecord<byte[], byte[]>> records() {
        return List.copyOf(RECORDS.get(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        KafkaSinkContext sinkContext =
                new KafkaSinkContext() {
                    @Override
                    public int getParallelInstanceId() {
                        return context.getTaskInfo().getIndexOfThisSubtask();
                    }

                    @Override
                    public int getNumberOfParallelInstances() {
                        return context.getTaskInfo().getNumberOfParallelSubtasks();
                    }

                    @Override
                    public int[] getPartitionsForTopic(String topic) {
                        return new int[] {0};
                    }
                };
        try {
            schema.open(context.asSerializationSchemaInitializationContext(), sinkContext);
        } catch (Exception e) {
            throw new IOException("cannot open " + schema, e);
        }
        Queue<ProducerRecord<byte[], byte[]>> out = RECORDS.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                out.add(schema.serialize(element, sinkContext, ctx.timestamp()));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    /** Forgets the collected records. */
    @Override
    public void close() {
        RECORDS.remove(id);
    }
}
