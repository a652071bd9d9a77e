package dev.bertstream.serde;

import dev.bertstream.serde.codec.AvroRecordWriter;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Encodes generated Avro records (TextEvent, LabeledEvent, DeadLetter) in one of the binary wire
 * formats, byte for byte as the job's sinks write them: for producers and tools outside Flink. Not
 * thread-safe; create one per thread.
 *
 * <pre>{@code
 * RecordEncoder<TextEvent> encoder = RecordEncoder.singleObject(TextEvent.class);
 * producer.send(new ProducerRecord<>(topic, key, encoder.encode(event)));
 * }</pre>
 */
@PublicEvolving
public final class RecordEncoder<T extends SpecificRecord> {

    private final AvroRecordWriter<T> writer;

    private RecordEncoder(AvroRecordWriter<T> writer) {
        this.writer = writer;
    }

    /**
     * An encoder for {@code format}; {@code confluentSchemaId} is only read for CONFLUENT.
     *
     * @throws IllegalArgumentException for JSON, which is an input-only format
     */
    public static <T extends SpecificRecord> RecordEncoder<T> of(
            Class<T> type, WireFormat format, int confluentSchemaId) {
        return new RecordEncoder<>(AvroRecordWriter.of(type, format, confluentSchemaId));
    }

    /** An encoder for Avro single-object encoding, the job's default wire format. */
    public static <T extends SpecificRecord> RecordEncoder<T> singleObject(Class<T> type) {
        return of(type, WireFormat.SINGLE_OBJECT, 0);
    }

    /** The record's bytes; the returned array is new on every call. */
    public byte[] encode(T record) {
        return writer.write(record);
    }
}
