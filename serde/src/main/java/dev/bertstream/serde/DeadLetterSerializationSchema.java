package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.ByteBuffer;

/**
 * Writes dead letters to the dead-letter topic, keyed by the failed record's original key so a
 * replay lands in the same order and partition.
 *
 * <pre>{@code
 * KafkaSink.<DeadLetter>builder()
 *     .setRecordSerializer(
 *         DeadLetterSerializationSchema.builder("text-events.dlq").configure(config).build())
 * }</pre>
 */
@PublicEvolving
public final class DeadLetterSerializationSchema extends AvroKafkaSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    DeadLetterSerializationSchema(String topic, WireFormat format, int confluentSchemaId) {
        super(DeadLetter.class, topic, format, confluentSchemaId);
    }

    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    @Override
    byte[] key(DeadLetter element) {
        ByteBuffer key = element.getKey();
        if (key == null) {
            return null;
        }
        byte[] out = new byte[key.remaining()];
        key.duplicate().get(out);
        return out;
    }

    /** Builds a {@link DeadLetterSerializationSchema}. */
    @PublicEvolving
    public static final class Builder
            extends AvroKafkaSerializationSchema.Builder<Builder, DeadLetterSerializationSchema> {

        Builder(String topic) {
            super(topic, SerdeOptions.OUTPUT_CONFLUENT_DEAD_LETTER_SCHEMA_ID);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        DeadLetterSerializationSchema create(
                String topic, WireFormat format, int confluentSchemaId) {
            return new DeadLetterSerializationSchema(topic, format, confluentSchemaId);
        }
    }
}
