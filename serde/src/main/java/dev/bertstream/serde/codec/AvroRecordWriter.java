package dev.bertstream.serde.codec;

import dev.bertstream.serde.WireFormat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.annotation.Internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a generated Avro record in one of the binary wire formats. Not thread-safe. */
@Internal
public final class AvroRecordWriter<T extends SpecificRecord> {

    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;

    private AvroRecordWriter(Class<T> type, byte[] header) {
        SpecificData model = SpecificData.getForClass(type);
        this.writer = new SpecificDatumWriter<>(model.getSchema(type), model);
        this.header = header;
    }

    /**
     * A writer for {@code format}; {@code confluentSchemaId} is only read for CONFLUENT.
     *
     * @throws IllegalArgumentException for JSON, which is an input-only format
     */
    public static <T extends SpecificRecord> AvroRecordWriter<T> of(
            Class<T> type, WireFormat format, int confluentSchemaId) {
        switch (format) {
            case CONFLUENT:
                return new AvroRecordWriter<>(type, WireFraming.confluentHeader(confluentSchemaId));
            case SINGLE_OBJECT:
                return new AvroRecordWriter<>(
                        type, WireFraming.singleObjectHeader(fingerprint(schemaOf(type))));
            default:
                throw new IllegalArgumentException(format + " is an input-only format");
        }
    }

    /** A writer of bare Avro binary, without any header. */
    public static <T extends SpecificRecord> AvroRecordWriter<T> bare(Class<T> type) {
        return new AvroRecordWriter<>(type, new byte[0]);
    }

    /** The CRC-64-AVRO fingerprint single-object encoding uses. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    public byte[] write(T record) {
        out.reset();
        out.writeBytes(header);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    private static Schema schemaOf(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type).getSchema(type);
    }
}
