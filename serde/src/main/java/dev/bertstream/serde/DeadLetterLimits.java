package dev.bertstream.serde;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;

/**
 * How much of a failed record a dead letter keeps. Value, key and headers are capped separately, so
 * every dead letter stays under a known size ({@link #recordBytesBound()}) that the job checks
 * against the dead-letter producer's {@code max.request.size} at start-up: a dead letter the topic
 * refuses would fail the sink, and the restart would replay the same record forever.
 *
 * @param maxValueBytes most bytes of the record value kept
 * @param maxKeyBytes most bytes of the record key kept (the key is written twice: as the dead
 *     letter's Kafka key and in its {@code key} field)
 * @param maxHeadersBytes most bytes of headers kept, counting each header's key, value and {@value
 *     #HEADER_OVERHEAD_BYTES} bytes of encoding
 */
@PublicEvolving
public record DeadLetterLimits(int maxValueBytes, int maxKeyBytes, int maxHeadersBytes)
        implements Serializable {

    /**
     * Exception messages can quote input; a cap keeps dead letters near the size of their input.
     */
    public static final int MAX_MESSAGE_CHARS = 4096;

    /** Error class names are short, but nothing stops a cap from being needed. */
    public static final int MAX_ERROR_CLASS_CHARS = 512;

    /** Encoding bytes counted per header besides its key and value (lengths, union index). */
    public static final int HEADER_OVERHEAD_BYTES = 16;

    /**
     * Room for everything but key, value and headers: message (up to 3 UTF-8 bytes per char), error
     * class, topic name, numbers, wire-format framing and Kafka's per-record overhead.
     */
    static final int FIXED_OVERHEAD_BYTES = 16 * 1024;

    public DeadLetterLimits {
        requireNonNegative(maxValueBytes, SerdeOptions.DEAD_LETTER_MAX_VALUE_BYTES.key());
        requireNonNegative(maxKeyBytes, SerdeOptions.DEAD_LETTER_MAX_KEY_BYTES.key());
        requireNonNegative(maxHeadersBytes, SerdeOptions.DEAD_LETTER_MAX_HEADERS_BYTES.key());
    }

    private static void requireNonNegative(int value, String key) {
        if (value < 0) {
            throw new IllegalArgumentException(key + " must not be negative, got " + value);
        }
    }

    /** The defaults of the {@link SerdeOptions} dead-letter options. */
    public static DeadLetterLimits defaults() {
        return new DeadLetterLimits(
                SerdeOptions.DEAD_LETTER_MAX_VALUE_BYTES.defaultValue(),
                SerdeOptions.DEAD_LETTER_MAX_KEY_BYTES.defaultValue(),
                SerdeOptions.DEAD_LETTER_MAX_HEADERS_BYTES.defaultValue());
    }

    /** The limits {@code config} sets, defaults for the rest. */
    public static DeadLetterLimits from(ReadableConfig config) {
        return new DeadLetterLimits(
                config.get(SerdeOptions.DEAD_LETTER_MAX_VALUE_BYTES),
                config.get(SerdeOptions.DEAD_LETTER_MAX_KEY_BYTES),
                config.get(SerdeOptions.DEAD_LETTER_MAX_HEADERS_BYTES));
    }

    /** An upper bound of a dead letter's Kafka record size: key, value and record overhead. */
    public long recordBytesBound() {
        return 2L * maxKeyBytes + maxValueBytes + maxHeadersBytes + FIXED_OVERHEAD_BYTES;
    }
}
