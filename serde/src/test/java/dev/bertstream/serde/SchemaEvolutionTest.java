package dev.bertstream.serde;

import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.SchemaHistory;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.KafkaRecords;
import dev.bertstream.serde.testutils.TestEvents;
import dev.bertstream.serde.testutils.TestSchemas;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Producers and consumers on different schema versions keep working. */
class SchemaEvolutionTest {

    private static final Schema V1 = SchemaHistory.resolve("v1", "TextEvent");
    private static final Schema V2 = TestSchemas.textEventV2();

    @Test
    void v2ReaderReadsV1DataWithTheNewFieldDefaulted() throws IOException {
        TextEvent v1Event = TestEvents.textEvent();

        GenericRecord read = readGeneric(Encodings.bare(v1Event), V1, V2);

        assertThat(read.get("channel")).isNull();
        assertThat(read.get("event_id").toString()).isEqualTo(v1Event.getEventId());
        assertThat(read.get("text").toString()).isEqualTo(v1Event.getText());
        assertThat(read.get("created_at")).isEqualTo(v1Event.getCreatedAt().toEpochMilli());
    }

    @Test
    void currentReaderReadsV2DataFromConfluentAndSingleObjectProducers() {
        byte[] v2Bare = Encodings.bareGeneric(v2Record("web"));
        TextEvent expected = TestEvents.textEvent();

        TextEventDeserializationSchema confluent =
                Deserializers.builder(WireFormat.CONFLUENT)
                        .addConfluentWriterSchema(TestSchemas.V2_SCHEMA_ID, V2)
                        .build();
        TextEventDeserializationSchema singleObject =
                Deserializers.builder(WireFormat.SINGLE_OBJECT)
                        .addSingleObjectWriterSchema(V2)
                        .build();

        assertThat(decode(confluent, Encodings.confluent(TestSchemas.V2_SCHEMA_ID, v2Bare)))
                .isEqualTo(expected);
        assertThat(decode(singleObject, Encodings.singleObject(V2, v2Bare))).isEqualTo(expected);
    }

    @Test
    void v2ToV1AndBackLosesOnlyTheFieldV1DoesNotKnow() throws IOException {
        TextEventDeserializationSchema confluent =
                Deserializers.builder(WireFormat.CONFLUENT)
                        .addConfluentWriterSchema(TestSchemas.V2_SCHEMA_ID, V2)
                        .build();
        TextEvent asV1 =
                decode(
                        confluent,
                        Encodings.confluent(
                                TestSchemas.V2_SCHEMA_ID, Encodings.bareGeneric(v2Record("web"))));

        GenericRecord backAsV2 = readGeneric(Encodings.bare(asV1), V1, V2);

        assertThat(plain(backAsV2)).isEqualTo(plain(v2Record(null)));
    }

    @Test
    void olderProducersThatLackOptionalFieldsStillDecode() {
        Schema v0 =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"TextEvent\",\"namespace\":\"dev.bertstream.events\",\"fields\":["
                                        + "{\"name\":\"event_id\",\"type\":\"string\"},{\"name\":\"key\",\"type\":\"string\"},"
                                        + "{\"name\":\"text\",\"type\":\"string\"},{\"name\":\"source\",\"type\":\"string\"},"
                                        + "{\"name\":\"created_at\",\"type\":\"long\"}]}");
        GenericRecord r = new GenericData.Record(v0);
        r.put("event_id", "1");
        r.put("key", "c");
        r.put("text", "hi");
        r.put("source", "legacy");
        r.put("created_at", 5L);
        TextEventDeserializationSchema schema =
                Deserializers.builder(WireFormat.CONFLUENT).addConfluentWriterSchema(7, v0).build();

        TextEvent e = decode(schema, Encodings.confluent(7, Encodings.bareGeneric(r)));

        assertThat(e.getTenant()).isNull();
        assertThat(e.getLang()).isNull();
        assertThat(e.getAttributes()).isEmpty();
        assertThat(e.getText()).isEqualTo("hi");
        assertThat(e.getCreatedAt().toEpochMilli()).isEqualTo(5L);
    }

    @Test
    void refusesToStartWithAWriterSchemaItCannotRead() {
        assertThatThrownBy(
                        () ->
                                Deserializers.builder(WireFormat.CONFLUENT)
                                        .addConfluentWriterSchema(9, TestSchemas.unrelated())
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key())
                .hasMessageContaining("id 9");
        assertThatThrownBy(
                        () ->
                                Deserializers.builder(WireFormat.SINGLE_OBJECT)
                                        .addSingleObjectWriterSchema(TestSchemas.unrelated())
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SerdeOptions.INPUT_SINGLE_OBJECT_WRITER_SCHEMAS.key());
    }

    private static GenericRecord v2Record(String channel) {
        TextEvent e = TestEvents.textEvent();
        GenericRecord r = new GenericData.Record(V2);
        r.put("event_id", e.getEventId());
        r.put("key", e.getKey());
        r.put("tenant", e.getTenant());
        r.put("text", e.getText());
        r.put("lang", e.getLang());
        r.put("source", e.getSource());
        r.put("created_at", e.getCreatedAt().toEpochMilli());
        r.put("attributes", Map.copyOf(e.getAttributes()));
        r.put("channel", channel);
        return r;
    }

    /** Field values with Avro's Utf8 and map types replaced by comparable Java ones. */
    private static Map<String, Object> plain(GenericRecord r) {
        Map<String, Object> out = new TreeMap<>();
        for (Schema.Field f : r.getSchema().getFields()) {
            Object v = r.get(f.name());
            if (v instanceof Map<?, ?> m) {
                Map<String, String> copy = new TreeMap<>();
                m.forEach((k, x) -> copy.put(k.toString(), x.toString()));
                v = copy;
            } else if (v instanceof CharSequence cs) {
                v = cs.toString();
            }
            out.put(f.name(), v);
        }
        return out;
    }

    private static GenericRecord readGeneric(byte[] bare, Schema writer, Schema reader)
            throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(bare, null));
    }

    private static TextEvent decode(TextEventDeserializationSchema schema, byte[] value) {
        DecodedRecord out = Deserializers.decode(schema, KafkaRecords.record(value));
        assertThat(out.getDeadLetter()).as(() -> String.valueOf(out.getDeadLetter())).isNull();
        return out.getEvent();
    }
}
