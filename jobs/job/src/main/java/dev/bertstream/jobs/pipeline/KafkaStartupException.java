package dev.bertstream.jobs.pipeline;

import org.apache.flink.annotation.PublicEvolving;

/** Kafka is not ready for the job: the brokers do not answer or a topic is missing. */
@PublicEvolving
public class KafkaStartupException extends RuntimeException {

    public KafkaStartupException(String message) {
        super(message);
    }

    public KafkaStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
