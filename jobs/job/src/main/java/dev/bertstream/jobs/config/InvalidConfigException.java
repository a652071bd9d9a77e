package dev.bertstream.jobs.config;

import org.apache.flink.annotation.PublicEvolving;

/** A configuration that cannot run; the message names the option and says what to fix. */
@PublicEvolving
public class InvalidConfigException extends IllegalArgumentException {

    public InvalidConfigException(String message) {
        super(message);
    }
}
