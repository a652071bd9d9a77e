package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.DeadLetterReason;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a plain JSON object such as {@code {"event_id":"1","key":"c1","text":"hi",
 * "source":"cli","created_at":1700000000000}} into a TextEvent.
 *
 * <p>Types are strict (a number is not a string) so that what a producer meant is never guessed.
 * {@code created_at} is epoch milliseconds or an ISO-8601 instant; when absent it is the Kafka
 * record timestamp, not the wall clock, so replaying a topic gives the same events. Unknown fields
 * are ignored, as Avro readers ignore fields they do not know.
 */
@Internal
public final class JsonTextEventDecoder implements TextEventDecoder {

    /** Events are flat; deeper nesting can only be in ignored fields and is refused early. */
    static final int MAX_NESTING_DEPTH = 32;

    private final TextLimiter limiter;
    private final JsonFactory factory;

    public JsonTextEventDecoder(TextLimiter limiter) {
        this.limiter = limiter;
        this.factory =
                JsonFactory.builder()
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(MAX_NESTING_DEPTH)
                                        // The input size bounds strings; the text limits apply
                                        // after.
                                        .maxStringLength(Integer.MAX_VALUE)
                                        .build())
                        .build();
    }

    @Override
    public TextEvent decode(byte[] value, long recordTimestamp) throws DecodeException {
        int bad = Utf8Validator.firstInvalid(value, 0, value.length);
        if (bad >= 0) {
            throw new DecodeException(
                    DeadLetterReason.INVALID_UTF8,
                    "JSON is not valid UTF-8 (byte 0x"
                            + Integer.toHexString(value[bad] & 0xFF)
                            + " at offset "
                            + bad
                            + ")");
        }
        // JSON never contains a raw NUL; refusing it also stops Jackson guessing UTF-16/32.
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                throw new DecodeException(
                        DeadLetterReason.MALFORMED_JSON,
                        "raw NUL byte at offset " + i + "; JSON input must be UTF-8 text");
            }
        }
        try (JsonParser p = factory.createParser(value)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new DecodeException(DeadLetterReason.MALFORMED_JSON, "value holds no JSON");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new DecodeException(
                        DeadLetterReason.NOT_A_JSON_OBJECT,
                        "JSON value is " + describe(first) + ", expected an object");
            }
            TextEvent event = readFields(p, recordTimestamp);
            if (p.nextToken() != null) {
                throw new DecodeException(
                        DeadLetterReason.MALFORMED_JSON, "content after the JSON object");
            }
            return limiter.apply(TextEventChecks.requireUsable(event), -1);
        } catch (IOException e) {
            // Jackson reports syntax errors and exceeded constraints as IOExceptions.
            throw new DecodeException(DeadLetterReason.MALFORMED_JSON, describe(e), e);
        }
    }

    private TextEvent readFields(JsonParser p, long recordTimestamp)
            throws IOException, DecodeException {
        TextEvent.Builder b = TextEvent.newBuilder().setAttributes(new HashMap<>());
        Set<String> seen = new HashSet<>();
        boolean hasCreatedAt = false;
        String eventId = null, key = null, text = null, source = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!seen.add(name)) {
                throw new DecodeException(
                        DeadLetterReason.DUPLICATE_FIELD, "field '" + name + "' appears twice");
            }
            JsonToken t = p.nextToken();
            switch (name) {
                case "event_id" -> eventId = string(p, t, name);
                case "key" -> key = string(p, t, name);
                case "text" -> text = string(p, t, name);
                case "source" -> source = string(p, t, name);
                case "tenant" -> b.setTenant(string(p, t, name));
                case "lang" -> b.setLang(string(p, t, name));
                case "attributes" -> b.setAttributes(attributes(p, t));
                case "created_at" -> {
                    Instant at = instant(p, t);
                    if (at != null) {
                        b.setCreatedAt(at);
                        hasCreatedAt = true;
                    }
                }
                default -> p.skipChildren();
            }
        }
        b.setEventId(required(eventId, "event_id"))
                .setKey(required(key, "key"))
                .setText(required(text, "text"))
                .setSource(required(source, "source"));
        if (!hasCreatedAt) {
            if (recordTimestamp < 0) {
                throw new DecodeException(
                        DeadLetterReason.MISSING_FIELD,
                        "created_at is missing and the record has no Kafka timestamp");
            }
            b.setCreatedAt(Instant.ofEpochMilli(recordTimestamp));
        }
        return b.build();
    }

    private static String required(String v, String name) throws DecodeException {
        if (v == null) {
            throw new DecodeException(DeadLetterReason.MISSING_FIELD, name + " is missing or null");
        }
        return v;
    }

    private static String string(JsonParser p, JsonToken t, String name)
            throws IOException, DecodeException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new DecodeException(
                    DeadLetterReason.WRONG_TYPE, name + " must be a string, got " + describe(t));
        }
        String s = p.getText();
        int bad = Utf8Validator.firstUnpairedSurrogate(s);
        if (bad >= 0) {
            throw new DecodeException(
                    DeadLetterReason.UNPAIRED_SURROGATE,
                    name + " has an unpaired surrogate escape at char " + bad);
        }
        return s;
    }

    private static Map<String, String> attributes(JsonParser p, JsonToken t)
            throws IOException, DecodeException {
        Map<String, String> out = new HashMap<>();
        if (t == JsonToken.VALUE_NULL) {
            return out;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new DecodeException(
                    DeadLetterReason.WRONG_TYPE,
                    "attributes must be an object, got " + describe(t));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            String where = "attributes['" + k + "']";
            if (Utf8Validator.firstUnpairedSurrogate(k) >= 0) {
                throw new DecodeException(
                        DeadLetterReason.UNPAIRED_SURROGATE,
                        "attribute key has an unpaired surrogate escape");
            }
            JsonToken vt = p.nextToken();
            String v = string(p, vt, where);
            if (v == null) {
                throw new DecodeException(
                        DeadLetterReason.WRONG_TYPE, where + " must be a string, got null");
            }
            if (out.put(k, v) != null) {
                throw new DecodeException(
                        DeadLetterReason.DUPLICATE_FIELD, "attribute '" + k + "' appears twice");
            }
        }
        return out;
    }

    private static Instant instant(JsonParser p, JsonToken t) throws IOException, DecodeException {
        switch (t) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new DecodeException(
                            DeadLetterReason.INVALID_FIELD,
                            "created_at " + p.getText() + " is out of range");
                }
                return Instant.ofEpochMilli(p.getLongValue());
            case VALUE_STRING:
                String s = p.getText();
                try {
                    // Avro keeps milliseconds; dropping finer digits here keeps round trips exact.
                    return Instant.ofEpochMilli(Instant.parse(s).toEpochMilli());
                } catch (DateTimeException | ArithmeticException e) {
                    throw new DecodeException(
                            DeadLetterReason.INVALID_FIELD,
                            "created_at '"
                                    + abbreviate(s)
                                    + "' is not an ISO-8601 instant such as 2024-05-01T12:00:00Z",
                            e);
                }
            default:
                throw new DecodeException(
                        DeadLetterReason.WRONG_TYPE,
                        "created_at must be epoch milliseconds or an ISO-8601 string, got "
                                + describe(t));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            JsonLocation at = jpe.getLocation();
            return jpe.getOriginalMessage()
                    + " (line "
                    + at.getLineNr()
                    + ", column "
                    + at.getColumnNr()
                    + ")";
        }
        return String.valueOf(e.getMessage());
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.name();
        }
    }
}
