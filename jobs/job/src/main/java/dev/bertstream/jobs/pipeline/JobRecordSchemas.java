package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.serde.DeadLetterSerializationSchema;
import dev.bertstream.serde.LabeledEventSerializationSchema;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

/**
 * How each of the job's outputs becomes a Kafka record (topic, key, value), as the job options set
 * it up: shared by the Kafka sinks and by tests that collect the records instead of sending them.
 *
 * @param intents {@code null} when intent routing is off (no {@code kafka.intent-topic-pattern})
 */
@Internal
public record JobRecordSchemas(
        KafkaRecordSerializationSchema<LabeledEvent> labeled,
        KafkaRecordSerializationSchema<LabeledEvent> moderation,
        KafkaRecordSerializationSchema<LabeledEvent> intents,
        KafkaRecordSerializationSchema<DeadLetter> deadLetters) {

    /** The schemas for the topics and wire format in {@code conf}. */
    public static JobRecordSchemas from(Configuration conf) {
        return new JobRecordSchemas(
                LabeledEventSerializationSchema.builder(conf.get(JobOptions.LABELED_TOPIC))
                        .configure(conf)
                        .build(),
                LabeledEventSerializationSchema.builder(conf.get(JobOptions.MODERATION_TOPIC))
                        .configure(conf)
                        .build(),
                conf.get(JobOptions.INTENT_TOPIC_PATTERN).isEmpty()
                        ? null
                        : new IntentTopicSerializationSchema(
                                // The topic is the event's intent topic; this one is never used.
                                LabeledEventSerializationSchema.builder("intent-routing")
                                        .configure(conf)
                                        .build(),
                                ClassificationJob.routingRules(conf)),
                DeadLetterSerializationSchema.builder(conf.get(JobOptions.DEAD_LETTER_TOPIC))
                        .configure(conf)
                        .build());
    }
}
