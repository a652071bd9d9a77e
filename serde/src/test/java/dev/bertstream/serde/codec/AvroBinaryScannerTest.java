package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.DeadLetterReason;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.EventArbitraries;
import dev.bertstream.serde.testutils.TestEvents;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroBinaryScannerTest {

    private static final Schema TEXT_EVENT = TextEvent.getClassSchema();

    /** Room for an exception with its stack trace and message; a millionth of the claimed size. */
    private static final long ALLOCATION_BUDGET = 64 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Provide
    Arbitrary<TextEvent> events() {
        return EventArbitraries.textEvents();
    }

    @Property(tries = 200)
    void acceptsWhatAvroWritesAndLocatesTheText(@ForAll("events") TextEvent event)
            throws DecodeException {
        byte[] bytes = Encodings.bare(event);

        AvroBinaryScanner.StringField text =
                AvroBinaryScanner.scan(TEXT_EVENT, bytes, 0, bytes.length, Set.of("text"));

        byte[] located =
                Arrays.copyOfRange(bytes, text.dataOffset(), text.dataOffset() + text.dataLength());
        assertThat(new String(located, StandardCharsets.UTF_8)).isEqualTo(event.getText());
    }

    @Test
    void reportsNoFieldWhenTheWriterHasNone() throws DecodeException {
        byte[] bytes = Encodings.bare(TestEvents.textEvent());
        assertThat(AvroBinaryScanner.scan(TEXT_EVENT, bytes, 0, bytes.length, Set.of("body")))
                .isNull();
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = Encodings.concat(Encodings.bare(TestEvents.textEvent()), new byte[] {0});
        assertReason(TEXT_EVENT, bytes, DeadLetterReason.TRAILING_BYTES);
    }

    @Test
    void rejectsEveryProperPrefix() {
        byte[] bytes = Encodings.bare(TestEvents.textEvent());
        for (int len = 0; len < bytes.length; len++) {
            byte[] prefix = Arrays.copyOf(bytes, len);
            assertReason(TEXT_EVENT, prefix, DeadLetterReason.TRUNCATED_PAYLOAD);
        }
    }

    @Test
    void refusesALengthLargerThanTheInputWithoutAllocatingIt() {
        // event_id claims 2^30 bytes: zig-zag 2^31 as a varint.
        byte[] bytes = HexFormat.of().parseHex("8080808008" + "41");
        assertReason(TEXT_EVENT, bytes, DeadLetterReason.TRUNCATED_PAYLOAD); // warms up

        long before = THREADS.getCurrentThreadAllocatedBytes();
        DecodeException e = scanFailure(TEXT_EVENT, bytes);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(e.reason()).isEqualTo(DeadLetterReason.TRUNCATED_PAYLOAD);
        assertThat(e.getMessage()).contains("is 1073741824 but only 1 bytes remain");
        // The exception and its message are all there is; a buffer for the claim would be 1 GiB.
        assertThat(allocated).isLessThan(ALLOCATION_BUDGET);
    }

    @Test
    void rejectsNegativeLengths() {
        assertReason(TEXT_EVENT, HexFormat.of().parseHex("01"), DeadLetterReason.MALFORMED_AVRO);
    }

    @Test
    void rejectsOverlongVarints() {
        assertReason(
                Schema.create(Schema.Type.LONG),
                HexFormat.of().parseHex("ffffffffffffffffffff01"),
                DeadLetterReason.MALFORMED_AVRO);
        assertReason(
                Schema.create(Schema.Type.LONG),
                HexFormat.of().parseHex("ffffffffffffffffff7f"),
                DeadLetterReason.MALFORMED_AVRO);
        assertReason(
                Schema.create(Schema.Type.INT),
                HexFormat.of().parseHex("ffffffff7f"),
                DeadLetterReason.MALFORMED_AVRO);
    }

    @Test
    void acceptsExtremeVarints() throws DecodeException {
        for (String hex : new String[] {"feffffffffffffffff01", "ffffffffffffffffff01"}) {
            byte[] b = HexFormat.of().parseHex(hex);
            AvroBinaryScanner.scan(Schema.create(Schema.Type.LONG), b, 0, b.length, Set.of());
        }
    }

    @Test
    void rejectsBadBooleansUnionIndexesAndEnumIndexes() {
        assertReason(
                Schema.create(Schema.Type.BOOLEAN),
                new byte[] {2},
                DeadLetterReason.MALFORMED_AVRO);
        Schema union = new Schema.Parser().parse("[\"null\", \"string\"]");
        assertReason(union, new byte[] {4}, DeadLetterReason.MALFORMED_AVRO);
        assertReason(union, new byte[] {1}, DeadLetterReason.MALFORMED_AVRO);
        Schema e =
                new Schema.Parser()
                        .parse("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}");
        assertReason(e, new byte[] {4}, DeadLetterReason.MALFORMED_AVRO);
    }

    @Test
    void rejectsInvalidUtf8InAnyString() {
        Schema map = new Schema.Parser().parse("{\"type\":\"map\",\"values\":\"string\"}");
        // One entry: key "\xC0\xAF" (overlong), value "a".
        assertReason(
                map,
                HexFormat.of().parseHex("02" + "04c0af" + "0261" + "00"),
                DeadLetterReason.INVALID_UTF8);
        assertReason(
                Schema.create(Schema.Type.STRING),
                HexFormat.of().parseHex("02ff"),
                DeadLetterReason.INVALID_UTF8);
    }

    @Test
    void rejectsCollectionCountsThatCannotFit() {
        Schema array = new Schema.Parser().parse("{\"type\":\"array\",\"items\":\"null\"}");
        // 2^40 items of null: Avro would try to pre-size a list that large.
        assertReason(
                array,
                HexFormat.of().parseHex("8080808080400000"),
                DeadLetterReason.TRUNCATED_PAYLOAD);
    }

    @Test
    void acceptsBlocksWithByteSizes() throws DecodeException {
        Schema array = new Schema.Parser().parse("{\"type\":\"array\",\"items\":\"int\"}");
        // A block of -2 items (count 2, size 2 bytes follows), then the end.
        byte[] b = HexFormat.of().parseHex("03" + "04" + "0204" + "00");
        AvroBinaryScanner.scan(array, b, 0, b.length, Set.of());
    }

    @Test
    void stopsAtTheDepthLimitOfRecursiveSchemas() {
        Schema node =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}");
        byte[] deep = new byte[10_000];
        Arrays.fill(deep, (byte) 2); // branch 1 (Node) again and again
        assertReason(node, deep, DeadLetterReason.MALFORMED_AVRO);
    }

    private static DecodeException scanFailure(Schema schema, byte[] bytes) {
        try {
            AvroBinaryScanner.scan(schema, bytes, 0, bytes.length, Set.of("text"));
        } catch (DecodeException e) {
            return e;
        }
        throw new AssertionError("scan accepted " + HexFormat.of().formatHex(bytes));
    }

    private static void assertReason(Schema schema, byte[] bytes, DeadLetterReason reason) {
        assertThatThrownBy(
                        () ->
                                AvroBinaryScanner.scan(
                                        schema, bytes, 0, bytes.length, Set.of("text")))
                .isInstanceOf(DecodeException.class)
                .satisfies(
                        e ->
                                assertThat(((DecodeException) e).reason())
                                        .as(e.getMessage())
                                        .isEqualTo(reason));
    }
}
