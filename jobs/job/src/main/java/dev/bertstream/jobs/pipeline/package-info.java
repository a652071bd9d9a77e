/**
 * The Flink job: {@link dev.bertstream.jobs.pipeline.ClassificationJob} is the entry point ({@code
 * main} for {@code flink run}, the Kafka source and sinks); {@link
 * dev.bertstream.jobs.pipeline.ClassificationWorkflow} is the one assembly of the job's operators
 * (their uids and names as constants), between any source and any {@link
 * dev.bertstream.jobs.pipeline.JobSinks}, used by the job, the local runner and every test; {@link
 * dev.bertstream.jobs.pipeline.KafkaStartupCheck} checks topics before start and fails with {@link
 * dev.bertstream.jobs.pipeline.KafkaStartupException}.
 */
package dev.bertstream.jobs.pipeline;
