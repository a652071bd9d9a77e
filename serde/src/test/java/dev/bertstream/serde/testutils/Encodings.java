package dev.bertstream.serde.testutils;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.WireFormat;
import dev.bertstream.serde.codec.AvroRecordWriter;
import dev.bertstream.serde.codec.WireFraming;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes test records the way producers in other teams would. */
public final class Encodings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Encodings() {}

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> byte[] encode(
            T record, WireFormat format, int confluentSchemaId) {
        if (format == WireFormat.JSON) {
            return json((TextEvent) record);
        }
        return AvroRecordWriter.of((Class<T>) record.getClass(), format, confluentSchemaId)
                .write(record);
    }

    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> byte[] bare(T record) {
        return AvroRecordWriter.bare((Class<T>) record.getClass()).write(record);
    }

    /**
     * Bare Avro binary of a generic record, as a producer with another schema version writes it.
     */
    public static byte[] bareGeneric(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] confluent(int schemaId, byte[] bare) {
        return concat(WireFraming.confluentHeader(schemaId), bare);
    }

    public static byte[] singleObject(Schema writer, byte[] bare) {
        return concat(
                WireFraming.singleObjectHeader(SchemaNormalization.parsingFingerprint64(writer)),
                bare);
    }

    /** The natural JSON a person would type: snake_case names, epoch-millis created_at. */
    public static byte[] json(TextEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_id", e.getEventId());
        m.put("key", e.getKey());
        if (e.getTenant() != null) {
            m.put("tenant", e.getTenant());
        }
        m.put("text", e.getText());
        if (e.getLang() != null) {
            m.put("lang", e.getLang());
        }
        m.put("source", e.getSource());
        m.put("created_at", e.getCreatedAt().toEpochMilli());
        m.put("attributes", e.getAttributes());
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
