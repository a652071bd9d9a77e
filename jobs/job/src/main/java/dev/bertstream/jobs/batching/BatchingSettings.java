package dev.bertstream.jobs.batching;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;

/**
 * When buffered events leave as one batch. The token estimate of a text is capped by the loaded
 * bundle's {@code max_seq_length}, so the operator builds its {@link TokenEstimator} once the model
 * is loaded.
 *
 * @param maxSize most events per batch
 * @param maxTokens most estimated tokens per batch (the padded-token budget of one call)
 * @param maxWaitMillis longest an event waits in the buffer
 * @param flushWhenIdle send what is buffered at once when no batch is in flight: batches then form
 *     only while the model is busy, so at low rates an event waits for nothing but the model
 */
@Internal
public record BatchingSettings(
        int maxSize, int maxTokens, long maxWaitMillis, boolean flushWhenIdle)
        implements Serializable {

    /** Settings that wait up to {@code maxWaitMillis} even when the model is idle. */
    public BatchingSettings(int maxSize, int maxTokens, long maxWaitMillis) {
        this(maxSize, maxTokens, maxWaitMillis, false);
    }

    public BatchingSettings {
        if (maxSize < 1 || maxTokens < 1 || maxWaitMillis < 1) {
            throw new IllegalArgumentException(
                    "batch size, token budget and max wait must be positive");
        }
    }
}
