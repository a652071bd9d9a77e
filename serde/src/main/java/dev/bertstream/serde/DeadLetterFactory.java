package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.RecordHeader;
import dev.bertstream.events.RecordOrigin;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds dead letters that keep a failed Kafka record's coordinates, key, value and headers, each
 * capped by {@link DeadLetterLimits} with a truncation flag and the original size.
 *
 * <pre>{@code
 * DeadLetterFactory factory = new DeadLetterFactory(DeadLetterLimits.from(config), Clock.systemUTC());
 * DeadLetter letter = factory.create(origin, "inference", DeadLetterReason.INFERENCE_FAILED, error);
 * }</pre>
 */
@PublicEvolving
public final class DeadLetterFactory {

    private final DeadLetterLimits limits;
    private final Clock clock;

    public DeadLetterFactory(DeadLetterLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** The origin of a consumed record; wraps the consumer's arrays, which are never reused. */
    public static RecordOrigin origin(ConsumerRecord<byte[], byte[]> record) {
        List<RecordHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(
                    new RecordHeader(
                            h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
        }
        return RecordOrigin.newBuilder()
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setTimestamp(
                        record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setHeaders(headers)
                .build();
    }

    /** A dead letter of {@code origin} that failed in {@code stage} with {@code error}. */
    public DeadLetter create(
            RecordOrigin origin, String stage, DeadLetterReason reason, Throwable error) {
        return create(origin, stage, reason, error.getClass().getName(), error.getMessage());
    }

    /**
     * A dead letter of {@code origin}; {@code message} may be null. The reason is always a {@link
     * DeadLetterReason} so that consumers of the dead-letter topic can switch over one closed set.
     */
    public DeadLetter create(
            RecordOrigin origin,
            String stage,
            DeadLetterReason reason,
            String errorClass,
            String message) {
        ByteBuffer key = origin.getKey();
        ByteBuffer value = origin.getValue();
        int keySize = key == null ? -1 : key.remaining();
        int valueSize = value == null ? -1 : value.remaining();
        int headersSize = 0;
        int keptBytes = 0;
        boolean full = false;
        List<RecordHeader> headers = new ArrayList<>();
        for (RecordHeader h : origin.getHeaders()) {
            int bytes = headerBytes(h);
            headersSize += bytes;
            // Headers are kept whole and in order: a header cut in half is worse than none.
            int cost = bytes + DeadLetterLimits.HEADER_OVERHEAD_BYTES;
            full = full || keptBytes + cost > limits.maxHeadersBytes();
            if (!full) {
                headers.add(h);
                keptBytes += cost;
            }
        }
        return DeadLetter.newBuilder()
                .setSourceTopic(origin.getTopic())
                .setSourcePartition(origin.getPartition())
                .setSourceOffset(origin.getOffset())
                .setSourceTimestamp(origin.getTimestamp())
                .setKey(prefix(key, limits.maxKeyBytes()))
                .setKeySize(keySize)
                .setKeyTruncated(key != null && keySize > limits.maxKeyBytes())
                .setValue(prefix(value, limits.maxValueBytes()))
                .setValueSize(valueSize)
                .setValueTruncated(value != null && valueSize > limits.maxValueBytes())
                .setHeadersSize(headersSize)
                .setHeadersTruncated(headers.size() < origin.getHeaders().size())
                .setHeaders(headers)
                .setStage(stage)
                .setReason(reason.name())
                .setErrorClass(cap(errorClass, DeadLetterLimits.MAX_ERROR_CLASS_CHARS))
                .setErrorMessage(cap(message, DeadLetterLimits.MAX_MESSAGE_CHARS))
                // Avro keeps milliseconds; truncating here makes the record equal to its round
                // trip.
                .setFailedAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }

    private static int headerBytes(RecordHeader h) {
        int valueBytes = h.getValue() == null ? 0 : h.getValue().remaining();
        return h.getKey().getBytes(StandardCharsets.UTF_8).length + valueBytes;
    }

    private static ByteBuffer prefix(ByteBuffer buffer, int max) {
        if (buffer == null || buffer.remaining() <= max) {
            return buffer;
        }
        ByteBuffer cut = buffer.duplicate();
        cut.limit(cut.position() + max);
        return cut.slice();
    }

    private static String cap(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }
}
