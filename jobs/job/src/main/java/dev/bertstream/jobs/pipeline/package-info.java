/**
 * The Flink job: {@link dev.bertstream.jobs.pipeline.ClassificationJob} is the entry point ({@code
 * main} for {@code flink run}, and the workflow with its {@link
 * dev.bertstream.jobs.pipeline.JobSinks}); {@link dev.bertstream.jobs.pipeline.KafkaStartupCheck}
 * checks topics before start and fails with {@link
 * dev.bertstream.jobs.pipeline.KafkaStartupException}.
 */
package dev.bertstream.jobs.pipeline;
