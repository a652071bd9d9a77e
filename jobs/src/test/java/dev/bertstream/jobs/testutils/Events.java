package dev.bertstream.jobs.testutils;

import dev.bertstream.events.TextEvent;

import java.time.Instant;
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
}
