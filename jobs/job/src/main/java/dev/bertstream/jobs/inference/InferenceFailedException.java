package dev.bertstream.jobs.inference;

/** An event fails inference on its own and {@code inference.on-failure} is {@code FAIL}. */
public class InferenceFailedException extends RuntimeException {
    public InferenceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
