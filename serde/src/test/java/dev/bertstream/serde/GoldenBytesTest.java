package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.AvroRecordReader;
import dev.bertstream.serde.codec.AvroRecordWriter;
import dev.bertstream.serde.codec.DecodeException;
import dev.bertstream.serde.codec.SchemaHistory;
import dev.bertstream.serde.codec.WireFraming;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.GoldenFiles;
import dev.bertstream.serde.testutils.KafkaRecords;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static dev.bertstream.serde.testutils.GoldenFiles.GOLDEN_SCHEMA_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records written by every released schema version still decode, and the current code writes
 * exactly the bytes of the newest version.
 */
class GoldenBytesTest {

    static IntStream versions() {
        int count = SchemaHistory.versions("TextEvent").size();
        assertThat(count).as("shipped TextEvent versions").isPositive();
        return IntStream.rangeClosed(1, count);
    }

    /**
     * The LabeledEvent version that added multi-label results ({@code multi_label}, {@code
     * labels}).
     */
    static final int MULTI_LABEL_SINCE = 3;

    static boolean isLatest(int version) {
        return version == SchemaHistory.versions("TextEvent").size();
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("versions")
    void textEventsOfEveryVersionDecodeInEveryFormat(int version) {
        TextEvent expected = TestEvents.textEvent();
        TextEventDeserializationSchema confluent =
                Deserializers.builder(WireFormat.CONFLUENT)
                        .addConfluentWriterSchema(
                                GOLDEN_SCHEMA_ID, SchemaHistory.resolve("v" + version, "TextEvent"))
                        .build();

        assertThat(decode(confluent, GoldenFiles.read(version, "text-event.confluent")))
                .isEqualTo(expected);
        // Single-object readers must find the old fingerprint among the shipped versions by
        // themselves.
        assertThat(
                        decode(
                                Deserializers.of(WireFormat.SINGLE_OBJECT),
                                GoldenFiles.read(version, "text-event.single-object")))
                .isEqualTo(expected);
        assertThat(
                        decode(
                                Deserializers.of(WireFormat.JSON),
                                GoldenFiles.read(version, "text-event.json")))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("versions")
    void everyRecordTypeOfEveryVersionDecodes(int version) throws DecodeException {
        assertDecodes(version, "text-event", TextEvent.class, TestEvents.textEvent());
        assertDecodes(version, "labeled-event", LabeledEvent.class, TestEvents.labeledEvent());
        assertDecodes(version, "dead-letter", DeadLetter.class, TestEvents.deadLetter());
        if (version >= MULTI_LABEL_SINCE) {
            assertDecodes(
                    version, "multi-label-event", LabeledEvent.class, TestEvents.multiLabelEvent());
        }
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("versions")
    void readersOfOlderVersionsReadMultiLabelEventsWithoutTheNewFields(int version)
            throws IOException {
        if (version < MULTI_LABEL_SINCE) {
            Schema old = SchemaHistory.versions("LabeledEvent").get(version - 1);
            byte[] bare = GoldenFiles.read(MULTI_LABEL_SINCE, "multi-label-event.avro");
            GenericRecord read =
                    new GenericDatumReader<GenericRecord>(LabeledEvent.getClassSchema(), old)
                            .read(null, DecoderFactory.get().binaryDecoder(bare, null));
            @SuppressWarnings("unchecked")
            List<GenericRecord> results = (List<GenericRecord>) read.get("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(2).get("label").toString()).isEqualTo("anger");
            assertThat(results.get(2).getSchema().getField("labels")).isNull();
        }
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("versions")
    void theNewestVersionIsWhatTheCodeWritesToday(int version) {
        if (!isLatest(version)) {
            return;
        }
        for (var c :
                List.of(
                        new Object[] {"text-event", TestEvents.textEvent()},
                        new Object[] {"labeled-event", TestEvents.labeledEvent()},
                        new Object[] {"multi-label-event", TestEvents.multiLabelEvent()},
                        new Object[] {"dead-letter", TestEvents.deadLetter()})) {
            String name = (String) c[0];
            SpecificRecord r = (SpecificRecord) c[1];
            assertThat(Encodings.bare(r))
                    .as(name + ".avro")
                    .isEqualTo(GoldenFiles.read(version, name + ".avro"));
            assertThat(Encodings.encode(r, WireFormat.CONFLUENT, GOLDEN_SCHEMA_ID))
                    .as(name + ".confluent")
                    .isEqualTo(GoldenFiles.read(version, name + ".confluent"));
            assertThat(Encodings.encode(r, WireFormat.SINGLE_OBJECT, 0))
                    .as(name + ".single-object")
                    .isEqualTo(GoldenFiles.read(version, name + ".single-object"));
        }
    }

    /**
     * {@code record} as a reader sees it after {@code writer} wrote it: newer fields default, also
     * in nested records (e.g. {@code TaskResult.labels}, added in v3).
     */
    private static <T extends SpecificRecord> T asWrittenBy(T record, Schema writer) {
        T copy = SpecificData.get().deepCopy(record.getSchema(), record);
        defaultNewFields(copy, writer);
        return copy;
    }

    private static void defaultNewFields(SpecificRecord record, Schema writer) {
        for (Schema.Field f : record.getSchema().getFields()) {
            Schema.Field w = writer.getField(f.name());
            if (w == null) {
                record.put(f.pos(), SpecificData.get().getDefaultValue(f));
            } else if (record.get(f.pos()) instanceof SpecificRecord nested) {
                defaultNewFields(nested, w.schema());
            } else if (record.get(f.pos()) instanceof List<?> items
                    && w.schema().getType() == Schema.Type.ARRAY) {
                for (Object item : items) {
                    if (item instanceof SpecificRecord nested) {
                        defaultNewFields(nested, w.schema().getElementType());
                    }
                }
            }
        }
    }

    private static <T extends SpecificRecord> void assertDecodes(
            int version, String name, Class<T> type, T expected) throws DecodeException {
        Schema writer = SchemaHistory.versions(type.getSimpleName()).get(version - 1);
        AvroRecordReader<T> reader = new AvroRecordReader<>(type);

        byte[] bare = GoldenFiles.read(version, name + ".avro");
        assertThat(reader.scanAndRead(writer, bare, 0, bare.length))
                .as(name + ".avro")
                .isEqualTo(asWrittenBy(expected, writer));

        byte[] confluent = GoldenFiles.read(version, name + ".confluent");
        assertThat(WireFraming.confluentSchemaId(confluent)).isEqualTo(GOLDEN_SCHEMA_ID);
        assertThat(
                        Arrays.copyOfRange(
                                confluent, WireFraming.CONFLUENT_HEADER_SIZE, confluent.length))
                .isEqualTo(bare);

        byte[] singleObject = GoldenFiles.read(version, name + ".single-object");
        assertThat(WireFraming.singleObjectFingerprint(singleObject))
                .isEqualTo(AvroRecordWriter.fingerprint(writer));
        assertThat(
                        Arrays.copyOfRange(
                                singleObject,
                                WireFraming.SINGLE_OBJECT_HEADER_SIZE,
                                singleObject.length))
                .isEqualTo(bare);
    }

    private static TextEvent decode(TextEventDeserializationSchema schema, byte[] value) {
        var out = Deserializers.decode(schema, KafkaRecords.record(value));
        assertThat(out.getDeadLetter()).as(() -> String.valueOf(out.getDeadLetter())).isNull();
        return out.getEvent();
    }
}
