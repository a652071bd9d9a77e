package dev.bertstream.serde.codec;

import dev.bertstream.serde.DeadLetterReason;

import org.apache.flink.annotation.Internal;

/** A record that cannot become a TextEvent, with the reason that goes into its dead letter. */
@Internal
public final class DecodeException extends Exception {

    private final DeadLetterReason reason;

    public DecodeException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public DecodeException(DeadLetterReason reason, String message, Throwable cause) {
        // Stack traces are never looked at for bad data and cost more than the decode itself.
        super(message, cause, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    /** The class name a dead letter reports: the underlying library error if there was one. */
    public String errorClass() {
        return getCause() != null ? getCause().getClass().getName() : getClass().getName();
    }
}
