package dev.bertstream.jobs.inference;

/** A batch did not finish within {@code inference.timeout}; the job fails over. */
public class InferenceStalledException extends RuntimeException {
    public InferenceStalledException(String message) {
        super(message);
    }
}
