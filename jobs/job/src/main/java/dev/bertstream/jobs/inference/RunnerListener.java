package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.Internal;

/**
 * What {@link BatchRunner} reports while it works; called from the model's threads, so
 * implementations must be thread-safe.
 */
@Internal
public interface RunnerListener {

    /** A call was rejected because the model's queue was full; it is retried after a backoff. */
    void rejected();

    /** A call is retried after the model failed on a known-good text too. */
    void retried();

    /** A failed batch was split in two. */
    void split();
}
