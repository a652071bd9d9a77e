package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.time.Duration;

/**
 * How inference failures are handled.
 *
 * @param timeout longest a batch may take, waiting and retries included, before the job fails over
 *     to its last checkpoint (a stalled model never turns events into dead letters)
 * @param initialBackoff first retry delay of a rejected or failed call; doubles per retry
 * @param maxBackoff cap of the retry delay
 * @param policy what happens to an event that fails inference on its own
 */
@Internal
public record FailureSettings(
        Duration timeout,
        Duration initialBackoff,
        Duration maxBackoff,
        InferenceFailurePolicy policy)
        implements Serializable {

    public FailureSettings {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("inference timeout must be positive");
        }
    }
}
