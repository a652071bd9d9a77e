package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.DeadLetterReason;

import org.apache.flink.annotation.Internal;

/** Rules on a decoded event that the Avro schema cannot express. */
@Internal
public final class TextEventChecks {

    private TextEventChecks() {}

    public static TextEvent requireUsable(TextEvent event) throws DecodeException {
        if (event.getEventId().isEmpty()) {
            throw new DecodeException(DeadLetterReason.INVALID_FIELD, "event_id is empty");
        }
        // An empty key would send every such event to one partition and serialize them all.
        if (event.getKey().isEmpty()) {
            throw new DecodeException(DeadLetterReason.INVALID_FIELD, "key is empty");
        }
        return event;
    }
}
