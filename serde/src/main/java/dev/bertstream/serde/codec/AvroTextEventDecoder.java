package dev.bertstream.serde.codec;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.DeadLetterReason;

import org.apache.avro.Schema;
import org.apache.flink.annotation.Internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Decodes Confluent-framed or single-object Avro into TextEvents, resolving writer schemas. */
@Internal
public final class AvroTextEventDecoder implements TextEventDecoder {

    private final Map<Integer, Schema> byId;
    private final Map<Long, Schema> byFingerprint;
    private final TextLimiter limiter;
    private final AvroRecordReader<TextEvent> reader = new AvroRecordReader<>(TextEvent.class);
    private final Set<String> textFieldNames = new HashSet<>();

    private AvroTextEventDecoder(
            Map<Integer, Schema> byId, Map<Long, Schema> byFingerprint, TextLimiter limiter) {
        this.byId = byId;
        this.byFingerprint = byFingerprint;
        this.limiter = limiter;
        // Writers may still use a name the reader now lists as an alias.
        Schema.Field text = TextEvent.getClassSchema().getField("text");
        textFieldNames.add(text.name());
        textFieldNames.addAll(text.aliases());
    }

    /** A decoder of Confluent-framed values written with the schemas in {@code byId}. */
    public static AvroTextEventDecoder confluent(Map<Integer, Schema> byId, TextLimiter limiter) {
        return new AvroTextEventDecoder(Map.copyOf(byId), null, limiter);
    }

    /** A decoder of single-object values written with any of {@code writers}. */
    public static AvroTextEventDecoder singleObject(
            Collection<Schema> writers, TextLimiter limiter) {
        Map<Long, Schema> byFingerprint = new HashMap<>();
        for (Schema w : writers) {
            byFingerprint.put(AvroRecordWriter.fingerprint(w), w);
        }
        return new AvroTextEventDecoder(null, byFingerprint, limiter);
    }

    @Override
    public TextEvent decode(byte[] value, long recordTimestamp) throws DecodeException {
        Schema writer;
        int off;
        if (byId != null) {
            int id = WireFraming.confluentSchemaId(value);
            writer = byId.get(id);
            if (writer == null) {
                throw new DecodeException(
                        DeadLetterReason.UNKNOWN_SCHEMA_ID,
                        "schema id "
                                + id
                                + " is not configured (known: "
                                + new TreeSet<>(byId.keySet())
                                + "); map it in serde.input.confluent.writer-schemas");
            }
            off = WireFraming.CONFLUENT_HEADER_SIZE;
        } else {
            long fp = WireFraming.singleObjectFingerprint(value);
            writer = byFingerprint.get(fp);
            if (writer == null) {
                throw new DecodeException(
                        DeadLetterReason.UNKNOWN_SCHEMA_FINGERPRINT,
                        "schema fingerprint "
                                + String.format("%016x", fp)
                                + " is unknown; add the writer schema to"
                                + " serde.input.single-object.writer-schemas");
            }
            off = WireFraming.SINGLE_OBJECT_HEADER_SIZE;
        }
        int len = value.length - off;
        AvroBinaryScanner.StringField text =
                AvroBinaryScanner.scan(writer, value, off, len, textFieldNames);
        long cutFromBytes = -1;
        byte[] data = value;
        if (text != null) {
            int keep = limiter.bytesToKeep(value, text.dataOffset(), text.dataLength());
            if (keep < text.dataLength()) {
                data = spliceShorterText(value, off, text, keep);
                off = 0;
                len = data.length;
                cutFromBytes = text.dataLength();
            }
        }
        TextEvent event = reader.read(writer, data, off, len);
        return limiter.apply(TextEventChecks.requireUsable(event), cutFromBytes);
    }

    /**
     * Copies the datum with the text cut to its first {@code keep} bytes, so the oversized string
     * is never built; the copy is no larger than the input.
     */
    static byte[] spliceShorterText(
            byte[] value, int off, AvroBinaryScanner.StringField text, int keep) {
        byte[] length = zigZagVarint(keep);
        int head = text.lengthOffset() - off;
        int tailStart = text.dataOffset() + text.dataLength();
        int tail = value.length - tailStart;
        byte[] out = new byte[head + length.length + keep + tail];
        System.arraycopy(value, off, out, 0, head);
        System.arraycopy(length, 0, out, head, length.length);
        System.arraycopy(value, text.dataOffset(), out, head + length.length, keep);
        System.arraycopy(value, tailStart, out, head + length.length + keep, tail);
        return out;
    }

    private static byte[] zigZagVarint(long v) {
        long n = (v << 1) ^ (v >> 63);
        byte[] tmp = new byte[10];
        int i = 0;
        while ((n & ~0x7FL) != 0) {
            tmp[i++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        tmp[i++] = (byte) n;
        byte[] out = new byte[i];
        System.arraycopy(tmp, 0, out, 0, i);
        return out;
    }
}
