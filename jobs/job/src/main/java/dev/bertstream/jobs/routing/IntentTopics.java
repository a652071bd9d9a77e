package dev.bertstream.jobs.routing;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Names of the intent topics ({@code kafka.intent-topic-pattern}): public, so whoever creates the
 * topics ahead of the job (the demo, a deployment script) names them exactly as the job does.
 */
@PublicEvolving
public final class IntentTopics {

    private IntentTopics() {}

    /**
     * The topic of intent {@code label} under {@code pattern}: {@code {label}} replaced by the
     * label, characters Kafka does not allow in topic names replaced by {@code _}.
     */
    public static String topicFor(String pattern, String label) {
        return pattern.replace("{label}", label.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
}
