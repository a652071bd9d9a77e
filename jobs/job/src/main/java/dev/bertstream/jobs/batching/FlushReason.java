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
    /** The (bounded) input ended. */
    END_OF_INPUT
}
