package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.PublicEvolving;

/** A batch did not finish within {@code inference.timeout}; the job fails over. */
@PublicEvolving
public class InferenceStalledException extends RuntimeException {
    public InferenceStalledException(String message) {
        super(message);
    }
}
