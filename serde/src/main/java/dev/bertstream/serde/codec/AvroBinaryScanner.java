package dev.bertstream.serde.codec;

import dev.bertstream.serde.DeadLetterReason;

import org.apache.avro.Schema;
import org.apache.flink.annotation.Internal;

import java.util.Set;

/**
 * Walks Avro binary data against its writer schema without materializing anything.
 *
 * <p>Avro's own decoder allocates whatever a length prefix claims before checking that the bytes
 * exist, so ten bytes of garbage can ask for a 2 GB array; it also replaces invalid UTF-8 silently.
 * After this scan every length is known to fit in the input and every string is valid UTF-8, so
 * decoding cannot allocate more than the input size. It also finds where the text field lies, so
 * its size can be checked before the string is built.
 */
@Internal
public final class AvroBinaryScanner {

    /** Deeper nesting than any real event; stops recursive schemas from exhausting the stack. */
    static final int MAX_DEPTH = 64;

    /** Position of one top-level string field in the scanned data. */
    public record StringField(int lengthOffset, int dataOffset, int dataLength) {}

    private final byte[] buf;
    private final int end;
    private final Set<String> markedNames;
    private int pos;
    private StringField marked;

    private AvroBinaryScanner(byte[] buf, int off, int len, Set<String> markedNames) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.markedNames = markedNames;
    }

    /**
     * Checks that {@code buf[off, off+len)} is exactly one well-formed datum of {@code writer}.
     *
     * @param markedNames names of the top-level string field whose position to report
     * @return that field's position, or null if the writer has no such top-level string field
     */
    public static StringField scan(
            Schema writer, byte[] buf, int off, int len, Set<String> markedNames)
            throws DecodeException {
        AvroBinaryScanner scanner = new AvroBinaryScanner(buf, off, len, markedNames);
        scanner.skip(writer, 0);
        if (scanner.pos != scanner.end) {
            throw new DecodeException(
                    DeadLetterReason.TRAILING_BYTES,
                    (scanner.end - scanner.pos)
                            + " bytes left after a complete "
                            + writer.getFullName()
                            + " record: the data was probably written with a different schema");
        }
        return scanner.marked;
    }

    private void skip(Schema s, int depth) throws DecodeException {
        if (depth > MAX_DEPTH) {
            throw malformed("data nests deeper than " + MAX_DEPTH + " levels");
        }
        switch (s.getType()) {
            case NULL:
                return;
            case BOOLEAN:
                int b = buf[need(1, "boolean")];
                if (b != 0 && b != 1) {
                    throw malformed("boolean byte is " + b + " at offset " + (pos - 1));
                }
                return;
            case INT:
                readInt("int");
                return;
            case LONG:
                readLong("long");
                return;
            case FLOAT:
                need(4, "float");
                return;
            case DOUBLE:
                need(8, "double");
                return;
            case FIXED:
                need(s.getFixedSize(), "fixed " + s.getFullName());
                return;
            case STRING:
                skipString("string");
                return;
            case BYTES:
                need(readLength("bytes"), "bytes");
                return;
            case ENUM:
                int symbol = readInt("enum index");
                if (symbol < 0 || symbol >= s.getEnumSymbols().size()) {
                    throw malformed("enum " + s.getFullName() + " has no symbol " + symbol);
                }
                return;
            case UNION:
                int branch = readInt("union index");
                if (branch < 0 || branch >= s.getTypes().size()) {
                    throw malformed(
                            "union index "
                                    + branch
                                    + " out of range 0.."
                                    + (s.getTypes().size() - 1));
                }
                skip(s.getTypes().get(branch), depth + 1);
                return;
            case ARRAY:
                skipBlocks(s.getElementType(), false, depth);
                return;
            case MAP:
                skipBlocks(s.getValueType(), true, depth);
                return;
            case RECORD:
                for (Schema.Field f : s.getFields()) {
                    if (depth == 0
                            && f.schema().getType() == Schema.Type.STRING
                            && markedNames.contains(f.name())) {
                        int lengthOffset = pos;
                        int length = readLength("string " + f.name());
                        marked = new StringField(lengthOffset, pos, length);
                        skipUtf8(length, f.name());
                    } else {
                        skip(f.schema(), depth + 1);
                    }
                }
                return;
            default:
                throw malformed("unsupported schema type " + s.getType());
        }
    }

    private void skipBlocks(Schema items, boolean isMap, int depth) throws DecodeException {
        String what = isMap ? "map" : "array";
        while (true) {
            long count = readLong(what + " block count");
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw malformed(what + " block count out of range");
                }
                count = -count;
                long size = readLong(what + " block size");
                if (size < 0 || size > end - pos) {
                    throw truncatedOrMalformed(size, what + " block size");
                }
            }
            // Every item takes at least one byte in real data; a count that cannot fit would make
            // Avro pre-allocate a collection of that size. Like an oversized string length, it
            // reads as data that ends too early.
            if (count > end - pos) {
                throw new DecodeException(
                        DeadLetterReason.TRUNCATED_PAYLOAD,
                        what
                                + " block claims "
                                + count
                                + " items but only "
                                + (end - pos)
                                + " bytes remain");
            }
            for (long i = 0; i < count; i++) {
                if (isMap) {
                    skipString("map key");
                }
                skip(items, depth + 1);
            }
        }
    }

    private void skipString(String what) throws DecodeException {
        skipUtf8(readLength(what), what);
    }

    private void skipUtf8(int length, String what) throws DecodeException {
        int start = need(length, what);
        int bad = Utf8Validator.firstInvalid(buf, start, length);
        if (bad >= 0) {
            throw new DecodeException(
                    DeadLetterReason.INVALID_UTF8,
                    what
                            + " is not valid UTF-8 (byte 0x"
                            + Integer.toHexString(buf[bad] & 0xFF)
                            + " at offset "
                            + bad
                            + ")");
        }
    }

    /** Reserves n bytes and returns where they start. */
    private int need(int n, String what) throws DecodeException {
        if (n > end - pos) {
            throw new DecodeException(
                    DeadLetterReason.TRUNCATED_PAYLOAD,
                    what
                            + " needs "
                            + n
                            + " bytes at offset "
                            + pos
                            + " but only "
                            + (end - pos)
                            + " remain");
        }
        int start = pos;
        pos += n;
        return start;
    }

    private int readLength(String what) throws DecodeException {
        long length = readLong(what + " length");
        if (length < 0 || length > end - pos) {
            throw truncatedOrMalformed(length, what + " length");
        }
        return (int) length;
    }

    private DecodeException truncatedOrMalformed(long length, String what) {
        if (length < 0) {
            return malformed(what + " is negative (" + length + ")");
        }
        return new DecodeException(
                DeadLetterReason.TRUNCATED_PAYLOAD,
                what + " is " + length + " but only " + (end - pos) + " bytes remain");
    }

    private int readInt(String what) throws DecodeException {
        long v = readVarint(5, what);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw malformed(what + " does not fit in an int");
        }
        return (int) v;
    }

    private long readLong(String what) throws DecodeException {
        return readVarint(10, what);
    }

    private long readVarint(int maxBytes, String what) throws DecodeException {
        long raw = 0;
        for (int i = 0; ; i++) {
            if (pos >= end) {
                throw new DecodeException(
                        DeadLetterReason.TRUNCATED_PAYLOAD, what + " is cut off at offset " + pos);
            }
            if (i == maxBytes) {
                throw malformed(
                        what + " is a varint longer than " + maxBytes + " bytes at offset " + pos);
            }
            int b = buf[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == 9 && b > 1) {
                    throw malformed(what + " overflows 64 bits at offset " + (pos - 1));
                }
                break;
            }
        }
        return (raw >>> 1) ^ -(raw & 1); // zig-zag
    }

    private static DecodeException malformed(String message) {
        return new DecodeException(DeadLetterReason.MALFORMED_AVRO, message);
    }
}
