package dev.bertstream.serde;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Why a record became a dead letter; the name is written to {@code DeadLetter.reason}. All but
 * {@link #INFERENCE_FAILED} come from the deserialize stage.
 */
@PublicEvolving
public enum DeadLetterReason {
    /** The record value is null (a tombstone). */
    NULL_VALUE,
    /** The record value has zero bytes. */
    EMPTY_VALUE,
    /** The value is shorter than the wire format's header. */
    TRUNCATED_HEADER,
    /** The value does not start with the wire format's magic bytes. */
    BAD_MAGIC_BYTE,
    /** Confluent framing names a schema id that is not configured. */
    UNKNOWN_SCHEMA_ID,
    /** Single-object encoding names a schema fingerprint that is not known. */
    UNKNOWN_SCHEMA_FINGERPRINT,
    /** The Avro data ends before the writer schema says it should. */
    TRUNCATED_PAYLOAD,
    /** The Avro data is structurally invalid (bad varint, negative length, bad union index…). */
    MALFORMED_AVRO,
    /** Bytes are left after the record: usually the data was written with another schema. */
    TRAILING_BYTES,
    /** A string is not valid UTF-8. */
    INVALID_UTF8,
    /** A JSON string escape encodes half a surrogate pair, which has no UTF-8 form. */
    UNPAIRED_SURROGATE,
    /** The value is not syntactically valid JSON, or nests too deeply. */
    MALFORMED_JSON,
    /** The JSON value is not an object. */
    NOT_A_JSON_OBJECT,
    /** A JSON object names the same field twice. */
    DUPLICATE_FIELD,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A JSON field has the wrong type. */
    WRONG_TYPE,
    /** A field has the right type but an unusable value (e.g. an empty key). */
    INVALID_FIELD,
    /** The text has more UTF-8 bytes than serde.text.max-bytes. */
    TEXT_TOO_LARGE,
    /** The text has more characters than serde.text.max-chars. */
    TEXT_TOO_LONG,
    /** An unexpected error in the decoder itself; report it as a bug. */
    INTERNAL_ERROR,
    /**
     * Inference stage: the event makes the model fail on its own (it failed alone, while the model
     * classified other text), so it cannot be labeled.
     */
    INFERENCE_FAILED
}
