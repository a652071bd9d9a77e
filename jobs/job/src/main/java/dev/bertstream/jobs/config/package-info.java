/**
 * The job's configuration: {@link dev.bertstream.jobs.config.JobOptions} holds every option, {@link
 * dev.bertstream.jobs.config.JobConfig} validates a configuration (failures are {@link
 * dev.bertstream.jobs.config.InvalidConfigException} naming the key) and {@link
 * dev.bertstream.jobs.config.KafkaClientConfig} reads Kafka client property files. {@code
 * ConfigDocs} ({@code @Internal}) renders the README's option table.
 */
package dev.bertstream.jobs.config;
