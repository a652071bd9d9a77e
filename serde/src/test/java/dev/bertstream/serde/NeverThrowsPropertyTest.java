package dev.bertstream.serde;

import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.EventArbitraries;
import dev.bertstream.serde.testutils.KafkaRecords;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import static dev.bertstream.serde.testutils.Deserializers.CURRENT_SCHEMA_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever bytes arrive, the deserializer emits exactly one record and never throws. */
class NeverThrowsPropertyTest {

    private final Map<WireFormat, TextEventDeserializationSchema> schemas =
            new EnumMap<>(WireFormat.class);

    NeverThrowsPropertyTest() {
        for (WireFormat f : WireFormat.values()) {
            schemas.put(f, Deserializers.of(f));
        }
    }

    @Property(tries = 2000)
    void randomBytes(@ForAll @Size(max = 300) byte[] value, @ForAll WireFormat format) {
        assertExactlyOneOutput(format, value);
    }

    @Property(tries = 2000)
    void randomBytesBehindAValidHeader(
            @ForAll @Size(max = 300) byte[] payload, @ForAll WireFormat format) {
        byte[] header =
                switch (format) {
                    case CONFLUENT -> Encodings.confluent(CURRENT_SCHEMA_ID, new byte[0]);
                    case SINGLE_OBJECT ->
                            Encodings.singleObject(TextEvent.getClassSchema(), new byte[0]);
                    case JSON -> "{\"event_id\":".getBytes();
                };
        assertExactlyOneOutput(format, Encodings.concat(header, payload));
    }

    @Provide
    Arbitrary<TextEvent> events() {
        return EventArbitraries.textEvents();
    }

    @Property(tries = 1000)
    void validRecordsWithOneByteChanged(
            @ForAll("events") TextEvent event,
            @ForAll WireFormat format,
            @ForAll int position,
            @ForAll byte newByte) {
        byte[] value = Encodings.encode(event, format, CURRENT_SCHEMA_ID);
        value[Math.floorMod(position, value.length)] = newByte;
        assertExactlyOneOutput(format, value);
    }

    @Property(tries = 1000)
    void validRecordsCutAnywhere(
            @ForAll("events") TextEvent event, @ForAll WireFormat format, @ForAll int cut) {
        byte[] value = Encodings.encode(event, format, CURRENT_SCHEMA_ID);
        byte[] prefix = Arrays.copyOf(value, Math.floorMod(cut, value.length));
        DecodedRecord out = assertExactlyOneOutput(format, prefix);
        assertThat(out.getDeadLetter()).as("a strict prefix is never a whole event").isNotNull();
    }

    @Property(tries = 300)
    void arbitraryJsonDocuments(@ForAll("jsonish") String text) {
        assertExactlyOneOutput(
                WireFormat.JSON, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings()
                .withChars("{}[]\":,0123456789.-eE tnulrfas\\u")
                .ofMaxLength(120);
    }

    private DecodedRecord assertExactlyOneOutput(WireFormat format, byte[] value) {
        ConsumerRecord<byte[], byte[]> record = KafkaRecords.record(value);
        DecodedRecord out = Deserializers.decode(schemas.get(format), record);
        assertThat((out.getEvent() == null) != (out.getDeadLetter() == null)).isTrue();
        if (out.getDeadLetter() != null) {
            assertThat(out.getDeadLetter().getReason())
                    .isNotEqualTo(DeadLetterReason.INTERNAL_ERROR.name());
            assertThat(out.getDeadLetter().getValue().array()).isSameAs(value);
        }
        return out;
    }
}
