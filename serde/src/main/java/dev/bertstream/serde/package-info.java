/**
 * Kafka wire formats of the pipeline's records for Flink: the source's {@link
 * dev.bertstream.serde.TextEventDeserializationSchema} (built with {@link
 * dev.bertstream.serde.TextEventDeserializationSchemaBuilder}) turns every record into an event or
 * a dead letter, the sinks write with {@link dev.bertstream.serde.LabeledEventSerializationSchema}
 * and {@link dev.bertstream.serde.DeadLetterSerializationSchema}, and {@link
 * dev.bertstream.serde.DeadLetterFactory} builds every dead letter (one {@link
 * dev.bertstream.serde.DeadLetterReason}, capped by {@link dev.bertstream.serde.DeadLetterLimits}).
 * Tools outside Flink encode with {@link dev.bertstream.serde.RecordEncoder} and parse JSON events
 * with {@link dev.bertstream.serde.JsonTextEventParser}. Options are in {@link
 * dev.bertstream.serde.SerdeOptions}. Everything here is {@code @PublicEvolving}.
 */
package dev.bertstream.serde;
