package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.jobs.routing.RoutingRules;
import dev.bertstream.serde.LabeledEventSerializationSchema;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a labeled event to the topic of its intent, with the same key and value as the labeled
 * topic.
 */
class IntentTopicSerializationSchema implements KafkaRecordSerializationSchema<LabeledEvent> {

    private final LabeledEventSerializationSchema delegate;
    private final RoutingRules rules;

    public IntentTopicSerializationSchema(
            LabeledEventSerializationSchema delegate, RoutingRules rules) {
        this.delegate = delegate;
        this.rules = rules;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        delegate.open(context, sinkContext);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            LabeledEvent e, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> r = delegate.serialize(e, context, timestamp);
        String topic =
                rules.intentTopic(e)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "event "
                                                        + e.getEvent().getEventId()
                                                        + " has no intent topic"));
        return new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.value(), r.headers());
    }
}
