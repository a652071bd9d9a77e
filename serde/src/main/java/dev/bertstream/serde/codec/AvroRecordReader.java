package dev.bertstream.serde.codec;

import dev.bertstream.serde.DeadLetterReason;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads Avro binary written with any known writer schema as the generated class, resolving schema
 * differences (added fields get defaults, removed ones are skipped). Not thread-safe.
 */
@Internal
public final class AvroRecordReader<T extends SpecificRecord> {

    private final Class<T> type;
    private final SpecificData model;
    private final Schema readerSchema;
    // Keyed by identity: writer schemas are a small fixed set, and resolution is costly to rebuild.
    private final Map<Schema, SpecificDatumReader<T>> readers = new IdentityHashMap<>();
    private BinaryDecoder decoder;

    public AvroRecordReader(Class<T> type) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
    }

    public Schema readerSchema() {
        return readerSchema;
    }

    /** Scans the bytes for well-formedness, then decodes them. */
    public T scanAndRead(Schema writer, byte[] buf, int off, int len) throws DecodeException {
        AvroBinaryScanner.scan(writer, buf, off, len, Set.of());
        return read(writer, buf, off, len);
    }

    /** Decodes bytes that {@link AvroBinaryScanner} has already accepted for {@code writer}. */
    public T read(Schema writer, byte[] buf, int off, int len) throws DecodeException {
        SpecificDatumReader<T> reader =
                readers.computeIfAbsent(
                        writer, w -> new SpecificDatumReader<>(w, readerSchema, model));
        decoder = DecoderFactory.get().binaryDecoder(buf, off, len, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException e) {
            throw new DecodeException(
                    DeadLetterReason.MALFORMED_AVRO,
                    "cannot read "
                            + writer.getFullName()
                            + " data as "
                            + type.getSimpleName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
