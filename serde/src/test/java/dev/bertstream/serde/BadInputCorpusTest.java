package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.KafkaRecords;
import dev.bertstream.serde.testutils.TestEvents;
import dev.bertstream.serde.testutils.TestSchemas;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static dev.bertstream.serde.DeadLetterReason.*;
import static dev.bertstream.serde.WireFormat.CONFLUENT;
import static dev.bertstream.serde.WireFormat.JSON;
import static dev.bertstream.serde.WireFormat.SINGLE_OBJECT;
import static dev.bertstream.serde.testutils.Deserializers.CURRENT_SCHEMA_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input becomes a dead letter that names the problem and keeps the record. */
class BadInputCorpusTest {

    private static final byte[] HEADER = Encodings.confluent(CURRENT_SCHEMA_ID, new byte[0]);
    private static final Set<DeadLetterReason> STRUCTURAL =
            EnumSet.of(TRUNCATED_PAYLOAD, MALFORMED_AVRO, INVALID_UTF8, TRAILING_BYTES);

    static Stream<Arguments> corpus() {
        byte[] good = confluent(TestEvents.textEvent());
        byte[] minimal =
                Encodings.bare(
                        TextEvent.newBuilder(TestEvents.minimalTextEvent())
                                .setEventId("1")
                                .setKey("c")
                                .build());
        byte[] garbage = new byte[64];
        new Random(42).nextBytes(garbage);
        return Stream.of(
                // Confluent framing
                bad("null value (tombstone)", CONFLUENT, null, NULL_VALUE),
                bad("empty value", CONFLUENT, new byte[0], EMPTY_VALUE),
                bad("shorter than the header", CONFLUENT, hex("000000"), TRUNCATED_HEADER),
                bad("wrong magic byte", CONFLUENT, patch(good, 0, (byte) 1), BAD_MAGIC_BYTE),
                bad(
                        "JSON sent to an Avro topic",
                        CONFLUENT,
                        Encodings.json(TestEvents.textEvent()),
                        BAD_MAGIC_BYTE),
                bad(
                        "unknown schema id",
                        CONFLUENT,
                        Encodings.confluent(999, Encodings.bare(TestEvents.textEvent())),
                        UNKNOWN_SCHEMA_ID),
                bad("header without payload", CONFLUENT, HEADER, TRUNCATED_PAYLOAD),
                bad(
                        "payload cut in half",
                        CONFLUENT,
                        Arrays.copyOf(good, good.length / 2),
                        TRUNCATED_PAYLOAD),
                bad(
                        "trailing garbage",
                        CONFLUENT,
                        Encodings.concat(good, hex("deadbeef")),
                        TRAILING_BYTES),
                bad(
                        "wrong schema: LabeledEvent under the TextEvent id",
                        CONFLUENT,
                        confluent(TestEvents.labeledEvent()),
                        TRAILING_BYTES),
                bad(
                        "wrong schema: DeadLetter under the TextEvent id",
                        CONFLUENT,
                        confluent(TestEvents.deadLetter()),
                        INVALID_UTF8),
                bad(
                        "wrong schema: v1 data under the v2 id",
                        CONFLUENT,
                        Encodings.confluent(
                                TestSchemas.V2_SCHEMA_ID, Encodings.bare(TestEvents.textEvent())),
                        TRUNCATED_PAYLOAD),
                bad(
                        "invalid UTF-8 in text",
                        CONFLUENT,
                        replace(confluent(TestEvents.event("1", "abcXYZ")), "XYZ", hex("c0af")),
                        INVALID_UTF8),
                bad(
                        "invalid UTF-8 in an attribute key",
                        CONFLUENT,
                        replace(confluent(withAttribute("kXY", "v")), "kXY", hex("6bed")),
                        INVALID_UTF8),
                bad(
                        "negative string length",
                        CONFLUENT,
                        Encodings.concat(HEADER, hex("01")),
                        MALFORMED_AVRO),
                bad(
                        "string length of 1 GiB in 6 bytes",
                        CONFLUENT,
                        Encodings.concat(HEADER, hex("808080800841")),
                        TRUNCATED_PAYLOAD,
                        "length is 1073741824 but only 1 bytes remain"),
                bad(
                        "union index out of range",
                        CONFLUENT,
                        Encodings.concat(HEADER, patch(minimal, 4, (byte) 6)),
                        MALFORMED_AVRO),
                bad(
                        "varint longer than 10 bytes",
                        CONFLUENT,
                        Encodings.concat(HEADER, hex("ffffffffffffffffffffff")),
                        MALFORMED_AVRO),
                bad(
                        "map claiming 2^30 entries",
                        CONFLUENT,
                        Encodings.concat(
                                HEADER,
                                Encodings.concat(
                                        Arrays.copyOf(minimal, minimal.length - 1),
                                        hex("8080808008"))),
                        TRUNCATED_PAYLOAD),
                bad(
                        "10 MB text",
                        CONFLUENT,
                        confluent(TestEvents.event("1", "x".repeat(10 * 1024 * 1024))),
                        TEXT_TOO_LARGE),
                bad(
                        "text over the character limit",
                        CONFLUENT,
                        confluent(TestEvents.event("1", "é".repeat(20_000))),
                        TEXT_TOO_LONG),
                bad(
                        "empty event_id",
                        CONFLUENT,
                        confluent(TestEvents.event("", "hi")),
                        INVALID_FIELD),
                bad(
                        "empty key",
                        CONFLUENT,
                        confluent(
                                TextEvent.newBuilder(TestEvents.minimalTextEvent())
                                        .setKey("")
                                        .build()),
                        INVALID_FIELD),
                bad("random garbage", CONFLUENT, patch(garbage, 0, (byte) 0x5A), BAD_MAGIC_BYTE),
                anyOf(
                        "random garbage after a valid header",
                        CONFLUENT,
                        Encodings.concat(HEADER, garbage),
                        STRUCTURAL),
                // Single-object encoding
                bad(
                        "single-object: wrong second magic byte",
                        SINGLE_OBJECT,
                        patch(singleObject(TestEvents.textEvent()), 1, (byte) 2),
                        BAD_MAGIC_BYTE),
                bad(
                        "single-object: header cut short",
                        SINGLE_OBJECT,
                        hex("c301a1b2c3"),
                        TRUNCATED_HEADER),
                bad(
                        "single-object: unknown fingerprint",
                        SINGLE_OBJECT,
                        patch(singleObject(TestEvents.textEvent()), 5, (byte) 0x77),
                        UNKNOWN_SCHEMA_FINGERPRINT),
                bad("single-object: Confluent bytes", SINGLE_OBJECT, good, BAD_MAGIC_BYTE),
                bad(
                        "single-object: payload cut",
                        SINGLE_OBJECT,
                        Arrays.copyOf(singleObject(TestEvents.textEvent()), 20),
                        TRUNCATED_PAYLOAD),
                // JSON
                bad("JSON: syntax error", JSON, utf8("{\"event_id\":"), MALFORMED_JSON),
                bad("JSON: whitespace only", JSON, utf8("  \n "), MALFORMED_JSON),
                bad("JSON: array", JSON, utf8("[1,2]"), NOT_A_JSON_OBJECT),
                bad("JSON: bare string", JSON, utf8("\"hi\""), NOT_A_JSON_OBJECT),
                bad(
                        "JSON: missing required field",
                        JSON,
                        utf8(
                                "{\"event_id\":\"1\",\"key\":\"c\",\"source\":\"cli\",\"created_at\":1}"),
                        MISSING_FIELD),
                bad("JSON: null required field", JSON, json("\"text\":null"), MISSING_FIELD),
                bad("JSON: number for a string", JSON, json("\"text\":42"), WRONG_TYPE),
                bad("JSON: object for a string", JSON, json("\"text\":{\"a\":1}"), WRONG_TYPE),
                bad(
                        "JSON: number attribute value",
                        JSON,
                        json("\"text\":\"hi\",\"attributes\":{\"n\":1}"),
                        WRONG_TYPE),
                bad(
                        "JSON: fractional created_at",
                        JSON,
                        json("\"text\":\"hi\",\"created_at\":1.5"),
                        WRONG_TYPE),
                bad(
                        "JSON: unparseable created_at",
                        JSON,
                        json("\"text\":\"hi\",\"created_at\":\"yesterday\""),
                        INVALID_FIELD),
                bad(
                        "JSON: created_at beyond 64 bits",
                        JSON,
                        json("\"text\":\"hi\",\"created_at\":123456789012345678901234567890"),
                        INVALID_FIELD),
                bad(
                        "JSON: duplicate field",
                        JSON,
                        json("\"text\":\"hi\",\"text\":\"bye\""),
                        DUPLICATE_FIELD),
                bad(
                        "JSON: invalid UTF-8",
                        JSON,
                        replace(json("\"text\":\"abXY\""), "XY", hex("ff")),
                        INVALID_UTF8),
                bad(
                        "JSON: UTF-16 encoded",
                        JSON,
                        "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_16LE),
                        MALFORMED_JSON),
                bad(
                        "JSON: unpaired surrogate escape",
                        JSON,
                        json("\"text\":\"a\\ud800b\""),
                        UNPAIRED_SURROGATE),
                bad(
                        "JSON: nesting 1000 deep",
                        JSON,
                        json("\"text\":\"hi\",\"x\":" + "[".repeat(1000) + "]".repeat(1000)),
                        MALFORMED_JSON),
                bad(
                        "JSON: content after the object",
                        JSON,
                        Encodings.concat(json("\"text\":\"hi\""), utf8(" {}")),
                        MALFORMED_JSON),
                bad(
                        "JSON: empty key",
                        JSON,
                        utf8(
                                "{\"event_id\":\"1\",\"key\":\"\",\"text\":\"hi\",\"source\":\"cli\"}"),
                        INVALID_FIELD),
                Arguments.of(
                        "JSON: no created_at and no Kafka timestamp",
                        JSON,
                        KafkaRecords.record(
                                KafkaRecords.KEY,
                                utf8(
                                        "{\"event_id\":\"1\",\"key\":\"c\",\"text\":\"hi\",\"source\":\"cli\"}"),
                                -1),
                        EnumSet.of(MISSING_FIELD),
                        ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void becomesADeadLetterWithItsReasonAndRawBytes(
            String name,
            WireFormat format,
            ConsumerRecord<byte[], byte[]> record,
            Set<DeadLetterReason> expected,
            String expectedMessage) {
        TextEventDeserializationSchema schema =
                Deserializers.builder(format)
                        .addConfluentWriterSchema(
                                TestSchemas.V2_SCHEMA_ID, TestSchemas.textEventV2())
                        .build();

        DecodedRecord out = Deserializers.decode(schema, record);

        assertThat(out.getEvent()).isNull();
        DeadLetter dl = out.getDeadLetter();
        assertThat(DeadLetterReason.valueOf(dl.getReason()))
                .as(dl.getErrorMessage())
                .isIn(expected);
        assertThat(dl.getErrorMessage()).isNotBlank().contains(expectedMessage);
        assertThat(dl.getErrorClass()).isNotBlank();
        assertThat(dl.getStage()).isEqualTo(TextEventDeserializationSchema.STAGE);
        assertThat(dl.getFailedAt()).isEqualTo(TestEvents.FAILED_AT);
        assertKeepsTheRecord(dl, record);
    }

    static void assertKeepsTheRecord(DeadLetter dl, ConsumerRecord<byte[], byte[]> record) {
        assertThat(dl.getSourceTopic()).isEqualTo(record.topic());
        assertThat(dl.getSourcePartition()).isEqualTo(record.partition());
        assertThat(dl.getSourceOffset()).isEqualTo(record.offset());
        assertThat(dl.getSourceTimestamp() == null ? -1 : dl.getSourceTimestamp().toEpochMilli())
                .isEqualTo(record.timestamp());
        assertThat(bytes(dl.getKey())).isEqualTo(record.key());
        byte[] value = record.value();
        assertThat(dl.getValueSize()).isEqualTo(value == null ? -1 : value.length);
        if (value != null && value.length > SerdeOptions.DEFAULT_DEAD_LETTER_MAX_VALUE_BYTES) {
            assertThat(dl.getValueTruncated()).isTrue();
            assertThat(bytes(dl.getValue()))
                    .isEqualTo(
                            Arrays.copyOf(value, SerdeOptions.DEFAULT_DEAD_LETTER_MAX_VALUE_BYTES));
        } else {
            assertThat(dl.getValueTruncated()).isFalse();
            assertThat(bytes(dl.getValue())).isEqualTo(value);
        }
        List<Header> headers = Arrays.asList(record.headers().toArray());
        assertThat(dl.getHeaders()).hasSameSizeAs(headers);
        for (int i = 0; i < headers.size(); i++) {
            assertThat(dl.getHeaders().get(i).getKey()).isEqualTo(headers.get(i).key());
            assertThat(bytes(dl.getHeaders().get(i).getValue())).isEqualTo(headers.get(i).value());
        }
    }

    private static Arguments bad(
            String name, WireFormat format, byte[] value, DeadLetterReason reason) {
        return bad(name, format, value, reason, "");
    }

    /** A case whose error message must say what the name claims (e.g. the decoded length). */
    private static Arguments bad(
            String name,
            WireFormat format,
            byte[] value,
            DeadLetterReason reason,
            String expectedMessage) {
        return Arguments.of(
                name, format, KafkaRecords.record(value), EnumSet.of(reason), expectedMessage);
    }

    private static Arguments anyOf(
            String name, WireFormat format, byte[] value, Set<DeadLetterReason> reasons) {
        return Arguments.of(name, format, KafkaRecords.record(value), reasons, "");
    }

    private static byte[] confluent(org.apache.avro.specific.SpecificRecord r) {
        return Encodings.encode(r, CONFLUENT, CURRENT_SCHEMA_ID);
    }

    private static byte[] singleObject(org.apache.avro.specific.SpecificRecord r) {
        return Encodings.encode(r, SINGLE_OBJECT, 0);
    }

    private static TextEvent withAttribute(String k, String v) {
        TextEvent e = TestEvents.minimalTextEvent();
        e.setAttributes(java.util.Map.of(k, v));
        return e;
    }

    /** A JSON event with valid id, key and source plus the given members. */
    private static byte[] json(String members) {
        return utf8("{\"event_id\":\"1\",\"key\":\"c\",\"source\":\"cli\"," + members + "}");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] patch(byte[] bytes, int index, byte value) {
        byte[] out = bytes.clone();
        out[index] = value;
        return out;
    }

    /** Replaces a unique ASCII marker with bytes of the same length. */
    private static byte[] replace(byte[] bytes, String marker, byte[] replacement) {
        byte[] m = utf8(marker);
        for (int i = 0; i + m.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + m.length, m, 0, m.length)) {
                byte[] out = bytes.clone();
                System.arraycopy(replacement, 0, out, i, replacement.length);
                for (int k = replacement.length; k < m.length; k++) {
                    out[i + k] = 'a';
                }
                return out;
            }
        }
        throw new IllegalArgumentException("marker " + marker + " not found");
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
