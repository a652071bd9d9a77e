package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.PublicEvolving;

/** What happens to an event that makes the model fail on its own (found by splitting its batch). */
@PublicEvolving
public enum InferenceFailurePolicy {
    /** It goes to the dead-letter topic (reason INFERENCE_FAILED); its batch-mates are labeled. */
    DEAD_LETTER,
    /** The job fails, naming the event's topic, partition and offset. */
    FAIL
}
