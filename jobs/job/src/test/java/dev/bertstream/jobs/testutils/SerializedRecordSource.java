package dev.bertstream.jobs.testutils;

import dev.bertstream.events.DecodedRecord;
import dev.bertstream.serde.TextEventDeserializationSchema;

import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bounded source of serialized Kafka records (key and value bytes), decoded by the job's real
 * {@link TextEventDeserializationSchema} as the Kafka source would: malformed bytes become dead
 * letters. Record {@code i} has offset {@code i} in partition 0 of the given topic.
 */
public final class SerializedRecordSource {

    /** Record timestamp of every record. */
    public static final long TIMESTAMP = 1_700_000_000_000L;

    private SerializedRecordSource() {}

    /**
     * A source of {@code records}, each {key, value} (either may be null), read from {@code topic}.
     */
    public static DataGeneratorSource<DecodedRecord> of(
            String topic, List<byte[][]> records, TextEventDeserializationSchema deserializer) {
        return new DataGeneratorSource<>(
                new Decode(topic, new ArrayList<>(records), deserializer),
                records.size(),
                deserializer.getProducedType());
    }

    private static final class Decode implements GeneratorFunction<Long, DecodedRecord> {
        private static final long serialVersionUID = 1L;

        private final String topic;
        private final ArrayList<byte[][]> records;
        // Opens itself on first use (no metrics context needed).
        private final TextEventDeserializationSchema deserializer;

        Decode(
                String topic,
                ArrayList<byte[][]> records,
                TextEventDeserializationSchema deserializer) {
            this.topic = topic;
            this.records = records;
            this.deserializer = deserializer;
        }

        @Override
        public DecodedRecord map(Long index) {
            byte[][] kv = records.get(index.intValue());
            ConsumerRecord<byte[], byte[]> record =
                    new ConsumerRecord<>(
                            topic,
                            0,
                            index,
                            TIMESTAMP,
                            TimestampType.CREATE_TIME,
                            kv[0] == null ? -1 : kv[0].length,
                            kv[1] == null ? -1 : kv[1].length,
                            kv[0],
                            kv[1],
                            new RecordHeaders(),
                            Optional.empty());
            List<DecodedRecord> out = new ArrayList<>(1);
            deserializer.deserialize(
                    record,
                    new Collector<>() {
                        @Override
                        public void collect(DecodedRecord r) {
                            out.add(r);
                        }

                        @Override
                        public void close() {}
                    });
            if (out.size() != 1) {
                throw new IllegalStateException(
                        "expected one decoded record for offset " + index + ", got " + out.size());
            }
            return out.get(0);
        }
    }
}
