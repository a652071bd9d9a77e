package dev.bertstream.serde;

import dev.bertstream.serde.codec.AvroRecordWriter;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Shared body of the sink schemas: one topic, one binary wire format, a per-type record key. */
abstract class AvroKafkaSerializationSchema<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final String topic;
    private final WireFormat format;
    private final int confluentSchemaId;

    private transient AvroRecordWriter<T> writer;

    AvroKafkaSerializationSchema(
            Class<T> type, String topic, WireFormat format, int confluentSchemaId) {
        this.type = type;
        this.topic = topic;
        this.format = format;
        this.confluentSchemaId = confluentSchemaId;
    }

    /** The Kafka record key of an element; null for none. */
    abstract byte[] key(T element);

    public String topic() {
        return topic;
    }

    public WireFormat format() {
        return format;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        writer = AvroRecordWriter.of(type, format, confluentSchemaId);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (writer == null) {
            writer = AvroRecordWriter.of(type, format, confluentSchemaId);
        }
        // No partition: Kafka's default partitioner hashes the key, like the producers upstream do.
        // Kafka refuses negative timestamps, which Flink uses for "none".
        Long ts = timestamp != null && timestamp >= 0 ? timestamp : null;
        return new ProducerRecord<>(topic, null, ts, key(element), writer.write(element));
    }

    /** Builder state shared by the sink schemas; {@code B} is the concrete builder. */
    abstract static class Builder<B extends Builder<B, S>, S> {

        private final String topic;
        private final ConfigOption<Integer> schemaIdOption;
        WireFormat format = SerdeOptions.OUTPUT_FORMAT.defaultValue();
        Integer confluentSchemaId;

        Builder(String topic, ConfigOption<Integer> schemaIdOption) {
            this.topic = topic;
            this.schemaIdOption = schemaIdOption;
        }

        abstract B self();

        abstract S create(String topic, WireFormat format, int confluentSchemaId);

        /** Applies {@code serde.output.format} and this type's Confluent schema id if set. */
        public B configure(ReadableConfig config) {
            config.getOptional(SerdeOptions.OUTPUT_FORMAT).ifPresent(this::setFormat);
            config.getOptional(schemaIdOption).ifPresent(this::setConfluentSchemaId);
            return self();
        }

        public B setFormat(WireFormat format) {
            this.format = format;
            return self();
        }

        public B setConfluentSchemaId(int schemaId) {
            this.confluentSchemaId = schemaId;
            return self();
        }

        public S build() {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank");
            }
            if (format == null || format == WireFormat.JSON) {
                throw new IllegalArgumentException(
                        SerdeOptions.OUTPUT_FORMAT.key()
                                + " must be CONFLUENT or SINGLE_OBJECT, got "
                                + format);
            }
            if (format == WireFormat.CONFLUENT && confluentSchemaId == null) {
                throw new IllegalArgumentException(
                        schemaIdOption.key()
                                + " is required when "
                                + SerdeOptions.OUTPUT_FORMAT.key()
                                + " is CONFLUENT");
            }
            return create(topic, format, confluentSchemaId == null ? -1 : confluentSchemaId);
        }
    }
}
