/**
 * Runs the job on a laptop: {@code LocalPipeline} starts the job in a local Flink MiniCluster
 * against {@code EmbeddedKafkaCluster}, an in-process Kafka broker. Internal to the application
 * (used by the demo, the benchmarks and the ITCases).
 */
package dev.bertstream.app.local;
