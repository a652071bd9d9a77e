package dev.bertstream.models.bundle;

/**
 * A model bundle that is missing, incomplete, tampered with, or not of a format this code reads.
 */
public class InvalidBundleException extends RuntimeException {

    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
