package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A model bundle that is missing, incomplete, tampered with, or not of a format this code reads.
 */
@PublicEvolving
public class InvalidBundleException extends RuntimeException {

    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
