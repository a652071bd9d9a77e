package dev.bertstream.serde.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8ValidatorTest {

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
        "ascii, 6869, -1",
        "two-byte é, c3a9, -1",
        "emoji, f09f918b, -1",
        "max code point U+10FFFF, f48fbfbf, -1",
        "lone continuation byte, 80, 0",
        "overlong slash, c0af, 0",
        "overlong three-byte, e080af, 0",
        "encoded surrogate U+D800, eda080, 0",
        "above U+10FFFF, f4908080, 0",
        "cut after lead byte, 68e282, 1",
        "bad continuation, e228a1, 0",
        "0xFF, 61ff, 1",
    })
    void findsTheFirstInvalidByte(String name, String hex, int expected) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(Utf8Validator.firstInvalid(b, 0, b.length)).isEqualTo(expected);
    }

    @Property
    void agreesWithTheJdkStrictDecoder(@ForAll @Size(max = 64) byte[] bytes) {
        boolean jdkValid;
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            jdkValid = true;
        } catch (CharacterCodingException e) {
            jdkValid = false;
        }
        assertThat(Utf8Validator.firstInvalid(bytes, 0, bytes.length) < 0).isEqualTo(jdkValid);
    }

    @Property
    void countsEncodedLengthLikeTheJdk(@ForAll String s) {
        if (Utf8Validator.firstUnpairedSurrogate(s) >= 0) {
            return; // the JDK would substitute '?', which is not a length anyone needs
        }
        assertThat(Utf8Validator.encodedLength(s))
                .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @CsvSource({"a\uD83D\uDC4Bb, -1", "a\uD83Db, 1", "\uDC4B, 0", "ab\uD83D, 2"})
    void findsUnpairedSurrogates(String s, int expected) {
        assertThat(Utf8Validator.firstUnpairedSurrogate(s)).isEqualTo(expected);
    }
}
