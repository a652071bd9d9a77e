package dev.bertstream.serde;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.DecodeException;
import dev.bertstream.serde.codec.JsonTextEventDecoder;
import dev.bertstream.serde.codec.TextLimiter;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Parses a TextEvent from a JSON object with the same rules the job's JSON wire format applies
 * (strict types, UTF-8 only, the {@link SerdeOptions} text limits): for tools that take events as
 * JSON lines and produce them Avro-encoded with {@link RecordEncoder}.
 *
 * <pre>{@code
 * TextEvent e = JsonTextEventParser.withDefaultLimits().parse(line.getBytes(UTF_8), now);
 * }</pre>
 */
@PublicEvolving
public final class JsonTextEventParser {

    private final JsonTextEventDecoder decoder;

    private JsonTextEventParser(JsonTextEventDecoder decoder) {
        this.decoder = decoder;
    }

    /** A parser that refuses texts over the default serde.text.max-bytes and max-chars. */
    public static JsonTextEventParser withDefaultLimits() {
        return new JsonTextEventParser(
                new JsonTextEventDecoder(
                        new TextLimiter(
                                SerdeOptions.TEXT_MAX_BYTES.defaultValue(),
                                SerdeOptions.TEXT_MAX_CHARS.defaultValue(),
                                OversizePolicy.DEAD_LETTER)));
    }

    /**
     * The event {@code json} describes.
     *
     * @param recordTimestamp {@code created_at} when the JSON has none, in epoch milliseconds
     * @throws IllegalArgumentException naming the {@link DeadLetterReason} the job would give it
     */
    public TextEvent parse(byte[] json, long recordTimestamp) {
        if (json.length == 0) {
            throw new IllegalArgumentException(DeadLetterReason.EMPTY_VALUE + ": no JSON");
        }
        try {
            return decoder.decode(json, recordTimestamp);
        } catch (DecodeException e) {
            throw new IllegalArgumentException(e.reason() + ": " + e.getMessage(), e);
        }
    }
}
