package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.PublicEvolving;

/** An event fails inference on its own and {@code inference.on-failure} is {@code FAIL}. */
@PublicEvolving
public class InferenceFailedException extends RuntimeException {
    public InferenceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
