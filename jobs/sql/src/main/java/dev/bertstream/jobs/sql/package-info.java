/**
 * Flink SQL's {@code 'provider' = 'bert-stream'} for {@code CREATE MODEL} and {@code ML_PREDICT}.
 * Users meet {@link dev.bertstream.jobs.sql.BertStreamModelProviderFactory} (found by factory
 * discovery) and its {@link dev.bertstream.jobs.sql.BertStreamModelOptions}; the provider, the
 * batching predict function and the schema check are {@code @Internal}.
 */
package dev.bertstream.jobs.sql;
