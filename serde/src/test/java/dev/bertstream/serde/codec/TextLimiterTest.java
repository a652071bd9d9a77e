package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.DeadLetterReason;
import dev.bertstream.serde.OversizePolicy;
import dev.bertstream.serde.testutils.EventArbitraries;
import dev.bertstream.serde.testutils.TestEvents;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextLimiterTest {

    @Test
    void leavesTextWithinBothLimitsAlone() throws DecodeException {
        TextEvent e = TestEvents.textEvent();
        String before = e.getText();
        new TextLimiter(1000, 1000, OversizePolicy.DEAD_LETTER).apply(e, -1);
        assertThat(e.getText()).isEqualTo(before);
        assertThat(e.getAttributes()).doesNotContainKey(TextLimiter.TRUNCATED_ATTRIBUTE);
    }

    @Test
    void deadLettersOnEitherLimit() {
        TextLimiter bytes = new TextLimiter(5, 1000, OversizePolicy.DEAD_LETTER);
        assertReason(
                () -> bytes.apply(TestEvents.event("1", "héllo"), -1),
                DeadLetterReason.TEXT_TOO_LARGE);
        TextLimiter chars = new TextLimiter(1000, 4, OversizePolicy.DEAD_LETTER);
        assertReason(
                () -> chars.apply(TestEvents.event("1", "hello"), -1),
                DeadLetterReason.TEXT_TOO_LONG);
    }

    @Test
    void countsCharactersAsCodePoints() throws DecodeException {
        // Four emoji are eight UTF-16 units but four characters.
        TextEvent e = TestEvents.event("1", "👋👋👋👋");
        new TextLimiter(1000, 4, OversizePolicy.DEAD_LETTER).apply(e, -1);
        assertThat(e.getText()).isEqualTo("👋👋👋👋");
    }

    @Test
    void truncatesToTheByteLimitOnACharacterBoundary() throws DecodeException {
        TextEvent e = TestEvents.event("1", "ab👋cd"); // 'a' 'b' then 4 bytes of emoji
        new TextLimiter(5, 1000, OversizePolicy.TRUNCATE).apply(e, -1);
        assertThat(e.getText()).isEqualTo("ab");
        assertThat(e.getAttributes()).containsEntry(TextLimiter.TRUNCATED_ATTRIBUTE, "8");
    }

    @Test
    void truncatesToTheCharLimitAndRecordsTheOriginalBytes() throws DecodeException {
        TextEvent e = TestEvents.event("1", "été 👋 ok");
        new TextLimiter(1000, 5, OversizePolicy.TRUNCATE).apply(e, -1);
        assertThat(e.getText()).isEqualTo("été 👋");
        assertThat(e.getAttributes())
                .containsEntry(
                        TextLimiter.TRUNCATED_ATTRIBUTE,
                        Integer.toString("été 👋 ok".getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void keepsTheSizeFromBeforeAnEarlierCut() throws DecodeException {
        TextEvent e = TestEvents.event("1", "abc");
        new TextLimiter(1000, 1000, OversizePolicy.TRUNCATE).apply(e, 123_456);
        assertThat(e.getAttributes()).containsEntry(TextLimiter.TRUNCATED_ATTRIBUTE, "123456");
    }

    @Test
    void cutsRawBytesBeforeAContinuationByte() throws DecodeException {
        byte[] utf8 = "ab👋cd".getBytes(StandardCharsets.UTF_8);
        TextLimiter limiter = new TextLimiter(4, 1000, OversizePolicy.TRUNCATE);
        assertThat(limiter.bytesToKeep(utf8, 0, utf8.length)).isEqualTo(2);
        assertThat(
                        new TextLimiter(6, 1000, OversizePolicy.TRUNCATE)
                                .bytesToKeep(utf8, 0, utf8.length))
                .isEqualTo(6);
        assertThat(
                        new TextLimiter(100, 1000, OversizePolicy.TRUNCATE)
                                .bytesToKeep(utf8, 0, utf8.length))
                .isEqualTo(utf8.length);
        assertReason(
                () ->
                        new TextLimiter(4, 1000, OversizePolicy.DEAD_LETTER)
                                .bytesToKeep(utf8, 0, utf8.length),
                DeadLetterReason.TEXT_TOO_LARGE);
    }

    @Provide
    Arbitrary<String> texts() {
        return EventArbitraries.unicode(60);
    }

    @Property
    void truncationAlwaysYieldsAValidPrefixWithinBothLimits(
            @ForAll("texts") String text,
            @ForAll @IntRange(min = 1, max = 80) int maxBytes,
            @ForAll @IntRange(min = 1, max = 40) int maxChars)
            throws DecodeException {
        TextEvent e = TestEvents.event("1", text);
        new TextLimiter(maxBytes, maxChars, OversizePolicy.TRUNCATE).apply(e, -1);
        String out = e.getText();
        assertThat(text).startsWith(out);
        assertThat(out.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
        assertThat(out.codePointCount(0, out.length())).isLessThanOrEqualTo(maxChars);
        assertThat(Utf8Validator.firstUnpairedSurrogate(out)).isEqualTo(-1);
        boolean cut = !out.equals(text);
        assertThat(e.getAttributes().containsKey(TextLimiter.TRUNCATED_ATTRIBUTE)).isEqualTo(cut);
        if (cut) {
            // The cut is as long as the limits allow: one more character would break one.
            String longer =
                    text.substring(
                            0, out.length() + Character.charCount(text.codePointAt(out.length())));
            assertThat(
                            longer.getBytes(StandardCharsets.UTF_8).length > maxBytes
                                    || longer.codePointCount(0, longer.length()) > maxChars)
                    .isTrue();
        }
    }

    @Test
    void refusesNonPositiveLimits() {
        assertThatThrownBy(() -> new TextLimiter(0, 1, OversizePolicy.TRUNCATE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextLimiter(1, 0, OversizePolicy.TRUNCATE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    interface Action {
        void run() throws DecodeException;
    }

    private static void assertReason(Action action, DeadLetterReason reason) {
        assertThatThrownBy(action::run)
                .isInstanceOf(DecodeException.class)
                .satisfies(e -> assertThat(((DecodeException) e).reason()).isEqualTo(reason));
    }
}
