package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.DeadLetterReason;
import dev.bertstream.serde.OversizePolicy;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** Enforces serde.text.max-bytes and serde.text.max-chars by dead-lettering or truncating. */
@Internal
public final class TextLimiter implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Attribute that records the original UTF-8 size of a truncated text. */
    public static final String TRUNCATED_ATTRIBUTE = "bertstream.text.truncated-from-bytes";

    private final int maxBytes;
    private final int maxChars;
    private final OversizePolicy policy;

    public TextLimiter(int maxBytes, int maxChars, OversizePolicy policy) {
        if (maxBytes < 1 || maxChars < 1) {
            throw new IllegalArgumentException(
                    "text limits must be positive: " + maxBytes + " bytes, " + maxChars + " chars");
        }
        this.maxBytes = maxBytes;
        this.maxChars = maxChars;
        this.policy = policy;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public int maxChars() {
        return maxChars;
    }

    public OversizePolicy policy() {
        return policy;
    }

    /**
     * How many of the {@code length} UTF-8 bytes at {@code buf[offset]} to decode: all of them, or
     * under TRUNCATE the longest prefix within the limit that ends on a character boundary.
     */
    public int bytesToKeep(byte[] buf, int offset, int length) throws DecodeException {
        if (length <= maxBytes) {
            return length;
        }
        if (policy == OversizePolicy.DEAD_LETTER) {
            throw tooLarge(length);
        }
        int cut = maxBytes;
        while (cut > 0 && (buf[offset + cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }

    /**
     * Applies both limits to a decoded event.
     *
     * @param cutFromBytes the text's original UTF-8 size if it was already cut before decoding,
     *     else -1
     */
    public TextEvent apply(TextEvent event, long cutFromBytes) throws DecodeException {
        String text = event.getText();
        long originalBytes = cutFromBytes;
        // A UTF-16 unit is at most 3 UTF-8 bytes, so short texts skip the count.
        if ((long) text.length() * 3 > maxBytes) {
            long bytes = Utf8Validator.encodedLength(text);
            if (bytes > maxBytes) {
                if (policy == OversizePolicy.DEAD_LETTER) {
                    throw tooLarge(bytes);
                }
                originalBytes = bytes;
                text = prefixWithinBytes(text, maxBytes);
            }
        }
        if (text.length() > maxChars) {
            int chars = text.codePointCount(0, text.length());
            if (chars > maxChars) {
                if (policy == OversizePolicy.DEAD_LETTER) {
                    throw new DecodeException(
                            DeadLetterReason.TEXT_TOO_LONG,
                            "text has "
                                    + chars
                                    + " characters, serde.text.max-chars is "
                                    + maxChars);
                }
                if (originalBytes < 0) {
                    originalBytes = Utf8Validator.encodedLength(text);
                }
                text = text.substring(0, text.offsetByCodePoints(0, maxChars));
            }
        }
        if (originalBytes >= 0) {
            Map<String, String> attributes = new HashMap<>(event.getAttributes());
            attributes.put(TRUNCATED_ATTRIBUTE, Long.toString(originalBytes));
            event.setAttributes(attributes);
            event.setText(text);
        }
        return event;
    }

    private DecodeException tooLarge(long bytes) {
        return new DecodeException(
                DeadLetterReason.TEXT_TOO_LARGE,
                "text has " + bytes + " UTF-8 bytes, serde.text.max-bytes is " + maxBytes);
    }

    private static String prefixWithinBytes(String s, int maxBytes) {
        long bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
