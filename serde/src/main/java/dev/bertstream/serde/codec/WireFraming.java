package dev.bertstream.serde.codec;

import dev.bertstream.serde.DeadLetterReason;

import org.apache.flink.annotation.Internal;

/** Headers of the two binary wire formats: where the payload starts and which schema wrote it. */
@Internal
public final class WireFraming {

    public static final byte CONFLUENT_MAGIC = 0;
    public static final int CONFLUENT_HEADER_SIZE = 5;
    public static final byte SINGLE_OBJECT_MAGIC_0 = (byte) 0xC3;
    public static final byte SINGLE_OBJECT_MAGIC_1 = (byte) 0x01;
    public static final int SINGLE_OBJECT_HEADER_SIZE = 10;

    private WireFraming() {}

    /** Reads the schema id of a Confluent-framed value; the payload starts at offset 5. */
    public static int confluentSchemaId(byte[] value) throws DecodeException {
        if (value.length < CONFLUENT_HEADER_SIZE) {
            throw new DecodeException(
                    DeadLetterReason.TRUNCATED_HEADER,
                    "value has " + value.length + " bytes, Confluent framing needs at least 5");
        }
        if (value[0] != CONFLUENT_MAGIC) {
            throw badMagic("Confluent framing starts with 0x00", value);
        }
        return ((value[1] & 0xFF) << 24)
                | ((value[2] & 0xFF) << 16)
                | ((value[3] & 0xFF) << 8)
                | (value[4] & 0xFF);
    }

    /** Reads the writer fingerprint of a single-object value; the payload starts at offset 10. */
    public static long singleObjectFingerprint(byte[] value) throws DecodeException {
        if (value.length < SINGLE_OBJECT_HEADER_SIZE) {
            throw new DecodeException(
                    DeadLetterReason.TRUNCATED_HEADER,
                    "value has "
                            + value.length
                            + " bytes, single-object encoding needs at least 10");
        }
        if (value[0] != SINGLE_OBJECT_MAGIC_0 || value[1] != SINGLE_OBJECT_MAGIC_1) {
            throw badMagic("single-object encoding starts with 0xC3 0x01", value);
        }
        long fp = 0;
        for (int i = 9; i >= 2; i--) {
            fp = (fp << 8) | (value[i] & 0xFF);
        }
        return fp;
    }

    public static byte[] confluentHeader(int schemaId) {
        return new byte[] {
            CONFLUENT_MAGIC,
            (byte) (schemaId >>> 24),
            (byte) (schemaId >>> 16),
            (byte) (schemaId >>> 8),
            (byte) schemaId
        };
    }

    public static byte[] singleObjectHeader(long fingerprint) {
        byte[] h = new byte[SINGLE_OBJECT_HEADER_SIZE];
        h[0] = SINGLE_OBJECT_MAGIC_0;
        h[1] = SINGLE_OBJECT_MAGIC_1;
        for (int i = 0; i < 8; i++) {
            h[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return h;
    }

    private static DecodeException badMagic(String expected, byte[] value) {
        StringBuilder m = new StringBuilder(expected).append(", value starts with 0x");
        m.append(String.format("%02X", value[0] & 0xFF));
        if (value.length > 1) {
            m.append(String.format(" 0x%02X", value[1] & 0xFF));
        }
        if (looksLikeJson(value)) {
            m.append(": it looks like JSON; set serde.input.format to JSON for this topic");
        } else if (value[0] == CONFLUENT_MAGIC) {
            m.append(": it looks Confluent-framed; check serde.input.format");
        } else if (value[0] == SINGLE_OBJECT_MAGIC_0
                && value.length > 1
                && value[1] == SINGLE_OBJECT_MAGIC_1) {
            m.append(": it looks single-object encoded; check serde.input.format");
        }
        return new DecodeException(DeadLetterReason.BAD_MAGIC_BYTE, m.toString());
    }

    private static boolean looksLikeJson(byte[] value) {
        for (byte b : value) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }
}
