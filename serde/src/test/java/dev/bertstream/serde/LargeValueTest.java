package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.TextLimiter;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.KafkaRecords;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.bertstream.serde.testutils.Deserializers.CURRENT_SCHEMA_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** A 10 MB value is dead-lettered or truncated with memory bounded by the limits, not the value. */
class LargeValueTest {

    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final int MAX_BYTES = 4096;

    /**
     * Room for the decoded copy, the dead letter's value prefix and bookkeeping; far below 10 MB.
     */
    private static final long ALLOCATION_BUDGET =
            2L * SerdeOptions.DEFAULT_DEAD_LETTER_MAX_VALUE_BYTES;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @EnumSource(
            value = WireFormat.class,
            names = {"CONFLUENT", "SINGLE_OBJECT"})
    void deadLettersATenMegabyteTextWithoutMaterializingIt(WireFormat format) {
        TextEventDeserializationSchema schema =
                Deserializers.builder(format).setTextMaxBytes(MAX_BYTES).build();
        ConsumerRecord<byte[], byte[]> record =
                KafkaRecords.record(Encodings.encode(hugeEvent("€"), format, CURRENT_SCHEMA_ID));

        Measured m = decodeMeasured(schema, record);

        DeadLetter dl = m.out.getDeadLetter();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.TEXT_TOO_LARGE.name());
        assertThat(dl.getValueSize()).isEqualTo(record.value().length);
        assertThat(dl.getValueTruncated()).isTrue();
        assertThat(dl.getValue().remaining())
                .isEqualTo(SerdeOptions.DEFAULT_DEAD_LETTER_MAX_VALUE_BYTES);
        assertThat(m.allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @ParameterizedTest
    @EnumSource(
            value = WireFormat.class,
            names = {"CONFLUENT", "SINGLE_OBJECT"})
    void truncatesATenMegabyteTextWithoutMaterializingIt(WireFormat format) {
        TextEventDeserializationSchema schema =
                Deserializers.builder(format)
                        .setTextMaxBytes(MAX_BYTES)
                        .setOversizePolicy(OversizePolicy.TRUNCATE)
                        .build();
        TextEvent huge = hugeEvent("€"); // 3 bytes each: 4096 is not a character boundary
        ConsumerRecord<byte[], byte[]> record =
                KafkaRecords.record(Encodings.encode(huge, format, CURRENT_SCHEMA_ID));

        Measured m = decodeMeasured(schema, record);

        TextEvent e = m.out.getEvent();
        assertThat(e.getText()).isEqualTo("€".repeat(MAX_BYTES / 3));
        assertThat(e.getAttributes())
                .containsEntry(
                        TextLimiter.TRUNCATED_ATTRIBUTE,
                        Integer.toString(huge.getText().getBytes(StandardCharsets.UTF_8).length))
                .containsAllEntriesOf(Map.of("k", "v"));
        assertThat(e.getSource()).as("fields after the text survive the cut").isEqualTo("cli");
        assertThat(e.getCreatedAt()).isEqualTo(TestEvents.CREATED_AT);
        // The one copy of the record (minus the cut text) is all that should be allocated.
        assertThat(m.allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @Test
    void jsonTruncatesToo() {
        TextEventDeserializationSchema schema =
                Deserializers.builder(WireFormat.JSON)
                        .setTextMaxBytes(MAX_BYTES)
                        .setOversizePolicy(OversizePolicy.TRUNCATE)
                        .build();
        ConsumerRecord<byte[], byte[]> record = KafkaRecords.record(Encodings.json(hugeEvent("a")));

        TextEvent e = Deserializers.decode(schema, record).getEvent();

        assertThat(e.getText()).hasSize(MAX_BYTES);
        assertThat(e.getAttributes())
                .containsEntry(TextLimiter.TRUNCATED_ATTRIBUTE, Integer.toString(TEN_MB));
    }

    @Test
    void keepsAWholeLargeValueWhenTheDeadLetterLimitAllows() {
        TextEventDeserializationSchema schema =
                Deserializers.builder(WireFormat.CONFLUENT)
                        .setTextMaxBytes(MAX_BYTES)
                        .setDeadLetterMaxValueBytes(Integer.MAX_VALUE)
                        .build();
        ConsumerRecord<byte[], byte[]> record =
                KafkaRecords.record(
                        Encodings.encode(hugeEvent("a"), WireFormat.CONFLUENT, CURRENT_SCHEMA_ID));

        DeadLetter dl = Deserializers.decode(schema, record).getDeadLetter();

        assertThat(dl.getValueTruncated()).isFalse();
        assertThat(dl.getValue().remaining()).isEqualTo(record.value().length);
    }

    private static TextEvent hugeEvent(String unit) {
        TextEvent e =
                TestEvents.event(
                        "big", unit.repeat(TEN_MB / unit.getBytes(StandardCharsets.UTF_8).length));
        e.setAttributes(Map.of("k", "v"));
        return e;
    }

    private record Measured(DecodedRecord out, long allocated) {}

    private static Measured decodeMeasured(
            TextEventDeserializationSchema schema, ConsumerRecord<byte[], byte[]> record) {
        // Warm up class loading and caches on a small record so they do not count.
        Deserializers.decode(
                schema,
                KafkaRecords.record(
                        Encodings.encode(
                                TestEvents.minimalTextEvent(),
                                WireFormat.CONFLUENT,
                                CURRENT_SCHEMA_ID)));
        Deserializers.decode(
                schema,
                KafkaRecords.record(
                        Encodings.encode(
                                TestEvents.minimalTextEvent(), WireFormat.SINGLE_OBJECT, 0)));
        long before = THREADS.getCurrentThreadAllocatedBytes();
        DecodedRecord out = Deserializers.decode(schema, record);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        return new Measured(out, allocated);
    }
}
