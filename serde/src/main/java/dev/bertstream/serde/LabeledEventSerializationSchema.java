package dev.bertstream.serde;

import dev.bertstream.events.LabeledEvent;

import org.apache.flink.annotation.PublicEvolving;

import java.nio.charset.StandardCharsets;

/**
 * Writes labeled events to one topic, keyed by the input event's key so that results of a
 * conversation stay in order on one partition.
 *
 * <pre>{@code
 * KafkaSink.<LabeledEvent>builder()
 *     .setRecordSerializer(
 *         LabeledEventSerializationSchema.builder("labeled").configure(config).build())
 * }</pre>
 */
@PublicEvolving
public final class LabeledEventSerializationSchema
        extends AvroKafkaSerializationSchema<LabeledEvent> {

    private static final long serialVersionUID = 1L;

    LabeledEventSerializationSchema(String topic, WireFormat format, int confluentSchemaId) {
        super(LabeledEvent.class, topic, format, confluentSchemaId);
    }

    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    @Override
    byte[] key(LabeledEvent element) {
        return element.getEvent().getKey().getBytes(StandardCharsets.UTF_8);
    }

    /** Builds a {@link LabeledEventSerializationSchema}. */
    @PublicEvolving
    public static final class Builder
            extends AvroKafkaSerializationSchema.Builder<Builder, LabeledEventSerializationSchema> {

        Builder(String topic) {
            super(topic, SerdeOptions.OUTPUT_CONFLUENT_LABELED_EVENT_SCHEMA_ID);
        }

        @Override
        Builder self() {
            return this;
        }

        @Override
        LabeledEventSerializationSchema create(
                String topic, WireFormat format, int confluentSchemaId) {
            return new LabeledEventSerializationSchema(topic, format, confluentSchemaId);
        }
    }
}
