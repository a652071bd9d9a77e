package dev.bertstream.jobs.batching;

import org.apache.flink.annotation.Internal;

/** Why a micro-batch was flushed. */
@Internal
public enum FlushReason {
    /** It reached the max number of events. */
    SIZE,
    /** It reached the token budget. */
    TOKENS,
    /** Its oldest event waited the max wait. */
    TIMER,
    /** No batch was in flight, so waiting would only have added latency. */
    IDLE,
    /** The (bounded) input ended. */
    END_OF_INPUT
}
