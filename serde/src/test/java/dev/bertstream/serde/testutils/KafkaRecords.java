package dev.bertstream.serde.testutils;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Real Kafka consumer records as the source hands them to a deserializer. */
public final class KafkaRecords {

    public static final String TOPIC = "text-events";
    public static final int PARTITION = 3;
    public static final long OFFSET = 1234L;
    public static final long TIMESTAMP = 1_714_564_800_500L;
    public static final byte[] KEY = "conv-42".getBytes(StandardCharsets.UTF_8);

    private KafkaRecords() {}

    /** A record at fixed coordinates with a key, a timestamp and two headers (one null-valued). */
    public static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return record(
                KEY,
                value,
                TIMESTAMP,
                new RecordHeader("trace-id", "abc".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("no-value", null));
    }

    public static ConsumerRecord<byte[], byte[]> record(
            byte[] key, byte[] value, long timestamp, Header... headers) {
        return new ConsumerRecord<>(
                TOPIC,
                PARTITION,
                OFFSET,
                timestamp,
                timestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                new RecordHeaders(headers),
                Optional.empty());
    }
}
