package dev.bertstream.serde.testutils;

import dev.bertstream.events.DecodedRecord;
import dev.bertstream.serde.TextEventDeserializationSchema;
import dev.bertstream.serde.TextEventDeserializationSchemaBuilder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Deserialization schemas configured the way the tests' producers write. */
public final class Deserializers {

    /** Registry id under which the tests' producers registered the current TextEvent schema. */
    public static final int CURRENT_SCHEMA_ID = 41;

    public static final Clock CLOCK = Clock.fixed(TestEvents.FAILED_AT, ZoneOffset.UTC);

    private Deserializers() {}

    public static TextEventDeserializationSchemaBuilder builder(WireFormat format) {
        return TextEventDeserializationSchema.builder()
                .setFormat(format)
                .setConfluentSchemaId(CURRENT_SCHEMA_ID)
                .setClock(CLOCK);
    }

    public static TextEventDeserializationSchema of(WireFormat format) {
        return builder(format).build();
    }

    /** Runs one record through the public entry point and returns the single output. */
    public static DecodedRecord decode(
            TextEventDeserializationSchema schema, ConsumerRecord<byte[], byte[]> record) {
        List<DecodedRecord> out = new ArrayList<>();
        schema.deserialize(record, new ListCollector<>(out));
        if (out.size() != 1) {
            throw new AssertionError("expected exactly one output per record, got " + out.size());
        }
        return out.get(0);
    }
}
