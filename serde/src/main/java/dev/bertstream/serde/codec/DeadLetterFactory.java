package dev.bertstream.serde.codec;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.RecordHeader;

import org.apache.flink.annotation.Internal;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds dead letters that keep a failed Kafka record's coordinates, key, value and headers. */
@Internal
public final class DeadLetterFactory {

    /**
     * Exception messages can quote input; a cap keeps dead letters near the size of their input.
     */
    static final int MAX_MESSAGE_CHARS = 4096;

    private final int maxValueBytes;
    private final Clock clock;

    public DeadLetterFactory(int maxValueBytes, Clock clock) {
        if (maxValueBytes < 0) {
            throw new IllegalArgumentException(
                    "max value bytes must not be negative: " + maxValueBytes);
        }
        this.maxValueBytes = maxValueBytes;
        this.clock = clock;
    }

    public DeadLetter create(
            ConsumerRecord<byte[], byte[]> record,
            String stage,
            String reason,
            String errorClass,
            String message) {
        byte[] value = record.value();
        boolean cut = value != null && value.length > maxValueBytes;
        List<RecordHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(
                    new RecordHeader(
                            h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
        }
        // Buffers wrap the consumer's arrays instead of copying: those arrays are never reused.
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setSourceTimestamp(
                        record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(
                        value == null
                                ? null
                                : ByteBuffer.wrap(value, 0, cut ? maxValueBytes : value.length))
                .setValueSize(value == null ? -1 : value.length)
                .setValueTruncated(cut)
                .setHeaders(headers)
                .setStage(stage)
                .setReason(reason)
                .setErrorClass(errorClass)
                .setErrorMessage(cap(message))
                // Avro keeps milliseconds; truncating here makes the record equal to its round
                // trip.
                .setFailedAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }

    private static String cap(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_CHARS
                ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
