package dev.bertstream.serde;

import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.EventArbitraries;
import dev.bertstream.serde.testutils.KafkaRecords;
import dev.bertstream.serde.testutils.TestEvents;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static dev.bertstream.serde.testutils.Deserializers.CURRENT_SCHEMA_ID;
import static org.assertj.core.api.Assertions.assertThat;

class TextEventRoundTripTest {

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void decodesWhatProducersWrite(WireFormat format) {
        for (TextEvent event :
                new TextEvent[] {TestEvents.textEvent(), TestEvents.minimalTextEvent()}) {
            byte[] value = Encodings.encode(event, format, CURRENT_SCHEMA_ID);

            DecodedRecord out =
                    Deserializers.decode(Deserializers.of(format), KafkaRecords.record(value));

            assertThat(out.getDeadLetter()).isNull();
            assertThat(out.getEvent()).isEqualTo(event);
        }
    }

    @Provide
    Arbitrary<TextEvent> events() {
        return EventArbitraries.textEvents();
    }

    @Property(tries = 300)
    void anyValidEventSurvivesEveryFormat(@ForAll("events") TextEvent event) {
        for (WireFormat format : WireFormat.values()) {
            byte[] value = Encodings.encode(event, format, CURRENT_SCHEMA_ID);
            DecodedRecord out =
                    Deserializers.decode(Deserializers.of(format), KafkaRecords.record(value));
            assertThat(out.getEvent()).as(format.name()).isEqualTo(event);
        }
    }

    @Test
    void singleObjectBytesMatchAvrosOwnEncoder() throws Exception {
        TextEvent event = TestEvents.textEvent();
        ByteBuffer avro = event.toByteBuffer();
        byte[] expected = new byte[avro.remaining()];
        avro.get(expected);

        assertThat(Encodings.encode(event, WireFormat.SINGLE_OBJECT, 0)).isEqualTo(expected);
    }

    @Test
    void jsonWithoutCreatedAtTakesTheKafkaTimestamp() {
        byte[] json =
                "{\"event_id\":\"1\",\"key\":\"c1\",\"text\":\"hi\",\"source\":\"cli\"}"
                        .getBytes(StandardCharsets.UTF_8);

        TextEvent e =
                Deserializers.decode(Deserializers.of(WireFormat.JSON), KafkaRecords.record(json))
                        .getEvent();

        assertThat(e.getCreatedAt()).isEqualTo(Instant.ofEpochMilli(KafkaRecords.TIMESTAMP));
        assertThat(e.getTenant()).isNull();
        assertThat(e.getAttributes()).isEmpty();
    }

    @Test
    void jsonAcceptsIsoTimestampsNullOptionalsAndUnknownFields() {
        byte[] json =
                ("{\"event_id\":\"1\",\"key\":\"c1\",\"text\":\"hi\",\"source\":\"cli\","
                                + "\"created_at\":\"2024-05-01T12:00:00.123456Z\",\"tenant\":null,\"lang\":\"en\","
                                + "\"attributes\":{\"a\":\"b\"},\"future_field\":{\"nested\":[1,2,{\"x\":null}]}}")
                        .getBytes(StandardCharsets.UTF_8);

        TextEvent e =
                Deserializers.decode(Deserializers.of(WireFormat.JSON), KafkaRecords.record(json))
                        .getEvent();

        assertThat(e.getCreatedAt()).isEqualTo(TestEvents.CREATED_AT);
        assertThat(e.getLang()).isEqualTo("en");
        assertThat(e.getAttributes()).containsExactly(java.util.Map.entry("a", "b"));
    }
}
