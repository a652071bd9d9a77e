/**
 * How events are grouped into inference batches: {@link
 * dev.bertstream.jobs.batching.TokenEstimator} (public, also used by the benchmarks) estimates an
 * event's token cost; {@code BatchingSettings} and {@code FlushReason} are {@code @Internal} to the
 * job.
 */
package dev.bertstream.jobs.batching;
