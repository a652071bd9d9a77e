package dev.bertstream.serde.codec;

import org.apache.flink.annotation.Internal;

/**
 * Strict UTF-8 check (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
 *
 * <p>Java's decoders replace bad sequences with U+FFFD without telling anyone, which would change
 * the text a moderator sees; this finds them first without allocating.
 */
@Internal
public final class Utf8Validator {

    private Utf8Validator() {}

    /** Returns the offset of the first invalid byte in the range, or -1 if it is valid UTF-8. */
    public static int firstInvalid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min2;
            int max2 = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min2 = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min2 = c == 0xE0 ? 0xA0 : 0x80;
                if (c == 0xED) {
                    max2 = 0x9F; // U+D800..U+DFFF are surrogates
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min2 = c == 0xF0 ? 0x90 : 0x80;
                if (c == 0xF4) {
                    max2 = 0x8F; // nothing above U+10FFFF
                }
            } else {
                return i;
            }
            if (end - i <= need) {
                return i;
            }
            int c2 = b[i + 1] & 0xFF;
            if (c2 < min2 || c2 > max2) {
                return i;
            }
            for (int k = 2; k <= need; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += need + 1;
        }
        return -1;
    }

    /** Number of bytes the string takes in UTF-8, counted without encoding it. */
    public static long encodedLength(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Index of the first unpaired surrogate char, or -1; such a string has no UTF-8 form. */
    public static int firstUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
