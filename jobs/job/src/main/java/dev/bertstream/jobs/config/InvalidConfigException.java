package dev.bertstream.jobs.config;

/** A configuration that cannot run; the message names the option and says what to fix. */
public class InvalidConfigException extends IllegalArgumentException {

    public InvalidConfigException(String message) {
        super(message);
    }
}
