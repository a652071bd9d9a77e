package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;

import org.apache.flink.annotation.Internal;

/** Turns one non-empty record value into a TextEvent, or says precisely why it cannot. */
@Internal
public interface TextEventDecoder {

    /**
     * @param value the record value, never null or empty
     * @param recordTimestamp the Kafka record timestamp, negative if absent
     */
    TextEvent decode(byte[] value, long recordTimestamp) throws DecodeException;
}
