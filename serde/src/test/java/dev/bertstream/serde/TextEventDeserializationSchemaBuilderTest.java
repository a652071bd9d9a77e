package dev.bertstream.serde;

import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.TextLimiter;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.FakeContexts;
import dev.bertstream.serde.testutils.KafkaRecords;
import dev.bertstream.serde.testutils.TestEvents;
import dev.bertstream.serde.testutils.TestSchemas;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextEventDeserializationSchemaBuilderTest {

    @Test
    void configuresEverythingFromFlinkConfiguration(@TempDir Path dir) throws Exception {
        Path v2File = dir.resolve("v2.avsc");
        Files.writeString(v2File, TestSchemas.textEventV2().toString());
        Configuration conf = new Configuration();
        conf.set(SerdeOptions.INPUT_FORMAT, WireFormat.CONFLUENT);
        conf.set(SerdeOptions.INPUT_CONFLUENT_SCHEMA_ID, 100);
        conf.set(
                SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS,
                Map.of("17", "v1", "18", v2File.toString()));
        conf.set(SerdeOptions.TEXT_MAX_BYTES, 10);
        conf.set(SerdeOptions.TEXT_MAX_CHARS, 5);
        conf.set(SerdeOptions.TEXT_OVERSIZE_POLICY, OversizePolicy.TRUNCATE);
        TextEventDeserializationSchema schema =
                TextEventDeserializationSchema.builder().configure(conf).build();
        TextEvent event = TestEvents.event("1", "abcdefgh");

        for (int id : new int[] {100, 17}) {
            DecodedRecord out =
                    Deserializers.decode(
                            schema,
                            KafkaRecords.record(Encodings.confluent(id, Encodings.bare(event))));
            assertThat(out.getEvent().getText()).as("id " + id).isEqualTo("abcde");
            assertThat(out.getEvent().getAttributes())
                    .containsEntry(TextLimiter.TRUNCATED_ATTRIBUTE, "8");
        }
        DecodedRecord unknown =
                Deserializers.decode(
                        schema,
                        KafkaRecords.record(Encodings.confluent(41, Encodings.bare(event))));
        assertThat(unknown.getDeadLetter().getReason())
                .isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID.name());
        assertThat(unknown.getDeadLetter().getErrorMessage()).contains("[17, 18, 100]");
    }

    @Test
    void configuresSingleObjectWriterSchemasFromInlineJson() {
        Configuration conf = new Configuration();
        conf.set(SerdeOptions.INPUT_FORMAT, WireFormat.SINGLE_OBJECT);
        conf.set(
                SerdeOptions.INPUT_SINGLE_OBJECT_WRITER_SCHEMAS,
                List.of(TestSchemas.textEventV2().toString()));
        TextEventDeserializationSchema schema =
                TextEventDeserializationSchema.builder().configure(conf).build();
        var v2 =
                new org.apache.avro.generic.GenericRecordBuilder(TestSchemas.textEventV2())
                        .set("event_id", "1")
                        .set("key", "c")
                        .set("text", "hi")
                        .set("source", "s")
                        .set("created_at", 1L)
                        .build();

        DecodedRecord out =
                Deserializers.decode(
                        schema,
                        KafkaRecords.record(
                                Encodings.singleObject(
                                        TestSchemas.textEventV2(), Encodings.bareGeneric(v2))));

        assertThat(out.getEvent().getText()).isEqualTo("hi");
    }

    @Test
    void appliesTheDeadLetterValueLimit() {
        TextEventDeserializationSchema schema =
                Deserializers.builder(WireFormat.CONFLUENT).setDeadLetterMaxValueBytes(3).build();
        byte[] value = {9, 8, 7, 6, 5};

        var dl = Deserializers.decode(schema, KafkaRecords.record(value)).getDeadLetter();

        assertThat(dl.getValue().remaining()).isEqualTo(3);
        assertThat(dl.getValueSize()).isEqualTo(5);
        assertThat(dl.getValueTruncated()).isTrue();
    }

    @Test
    void refusesUnusableSettingsNamingTheKey() {
        assertThatThrownBy(() -> TextEventDeserializationSchema.builder().build())
                .hasMessageContaining(SerdeOptions.INPUT_CONFLUENT_SCHEMA_ID.key());
        assertThatThrownBy(() -> Deserializers.builder(WireFormat.JSON).setTextMaxBytes(0).build())
                .hasMessageContaining(SerdeOptions.TEXT_MAX_BYTES.key());
        assertThatThrownBy(() -> Deserializers.builder(WireFormat.JSON).setTextMaxChars(-1).build())
                .hasMessageContaining(SerdeOptions.TEXT_MAX_CHARS.key());
        assertThatThrownBy(
                        () ->
                                Deserializers.builder(WireFormat.JSON)
                                        .setDeadLetterMaxValueBytes(-1)
                                        .build())
                .hasMessageContaining(SerdeOptions.DEAD_LETTER_MAX_VALUE_BYTES.key());
        assertThatThrownBy(
                        () ->
                                Deserializers.builder(WireFormat.CONFLUENT)
                                        .addConfluentWriterSchema(
                                                Deserializers.CURRENT_SCHEMA_ID,
                                                TestSchemas.textEventV2())
                                        .build())
                .hasMessageContaining(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key());
        Configuration badId = new Configuration();
        badId.set(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS, Map.of("seventeen", "v1"));
        assertThatThrownBy(() -> TextEventDeserializationSchema.builder().configure(badId))
                .hasMessageContaining(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key());
        Configuration badVersion = new Configuration();
        badVersion.set(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS, Map.of("17", "v99"));
        assertThatThrownBy(() -> TextEventDeserializationSchema.builder().configure(badVersion))
                .hasMessageContaining(SerdeOptions.INPUT_CONFLUENT_WRITER_SCHEMAS.key())
                .hasMessageContaining("v99");
    }

    @Test
    void worksAfterJavaSerializationAndOpen() throws Exception {
        TextEventDeserializationSchema schema =
                InstantiationUtil.clone(Deserializers.of(WireFormat.SINGLE_OBJECT));
        schema.open(new FakeContexts.Init());
        TextEvent event = TestEvents.textEvent();

        DecodedRecord out =
                Deserializers.decode(
                        schema,
                        KafkaRecords.record(Encodings.encode(event, WireFormat.SINGLE_OBJECT, 0)));

        assertThat(out.getEvent()).isEqualTo(event);
    }
}
