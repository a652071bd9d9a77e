package dev.bertstream.jobs.testutils;

import dev.bertstream.events.RecordOrigin;
import dev.bertstream.events.TextEvent;
import dev.bertstream.events.TracedEvent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fixture builders for events. */
public final class Events {

    private Events() {}

    /** An event with id {@code id} in conversation {@code key}. */
    public static TextEvent event(String id, String key, String text) {
        return TextEvent.newBuilder()
                .setEventId(id)
                .setKey(key)
                .setText(text)
                .setSource("test")
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setAttributes(Map.of())
                .build();
    }

    /** An event created now, as a producer would send it ({@code created_at} drives latency). */
    public static TextEvent createdNow(String id, String key, String text, String source) {
        return TextEvent.newBuilder(event(id, key, text))
                .setSource(source)
                .setCreatedAt(Instant.now())
                .build();
    }

    /** {@link #traced(String, String, String, long)} with the producer's {@code lang} tag. */
    public static TracedEvent traced(String id, String key, String text, String lang, long offset) {
        TracedEvent e = traced(id, key, text, offset);
        return new TracedEvent(
                TextEvent.newBuilder(e.getEvent()).setLang(lang).build(), e.getOrigin());
    }

    /** {@link #event} as read from partition 0 of topic {@code in} at {@code offset}. */
    public static TracedEvent traced(String id, String key, String text, long offset) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        RecordOrigin origin =
                RecordOrigin.newBuilder()
                        .setTopic("in")
                        .setPartition(0)
                        .setOffset(offset)
                        .setTimestamp(Instant.ofEpochMilli(1_700_000_000_000L))
                        .setKey(ByteBuffer.wrap(keyBytes))
                        .setValue(ByteBuffer.wrap(("raw:" + id).getBytes(StandardCharsets.UTF_8)))
                        .setHeaders(List.of())
                        .build();
        return new TracedEvent(event(id, key, text), origin);
    }
}
