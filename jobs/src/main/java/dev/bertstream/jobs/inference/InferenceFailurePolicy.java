package dev.bertstream.jobs.inference;

/** What happens to a batch whose inference still fails after all retries (or times out). */
public enum InferenceFailurePolicy {
    /** Its events go to the dead-letter topic with the reason; the job keeps running. */
    DEAD_LETTER,
    /** The job fails and restarts from its last checkpoint. */
    FAIL
}
