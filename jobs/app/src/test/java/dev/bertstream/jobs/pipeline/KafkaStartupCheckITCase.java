package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.jobs.config.JobOptions;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KafkaStartupCheck} against a real in-process broker. */
class KafkaStartupCheckITCase {

    static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafkaCluster.builder().build().start();
        kafka.createTopics(1, "in", "labeled", "moderation");
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void missingTopicsAreNamedWithTheirOptions() {
        Configuration conf = conf("in", "dead-letters");
        assertThatThrownBy(() -> KafkaStartupCheck.verify(conf))
                .isInstanceOf(KafkaStartupException.class)
                .hasMessageContaining("Kafka at " + kafka.bootstrapServers())
                .hasMessageContaining("'dead-letters' (kafka.dead-letter-topic)")
                .hasMessageNotContaining("kafka.input-topic");

        Configuration noInput = conf("no-such-input", "dead-letters");
        assertThatThrownBy(() -> KafkaStartupCheck.verify(noInput))
                .hasMessageContaining("'no-such-input' (kafka.input-topic)")
                .hasMessageContaining("'dead-letters' (kafka.dead-letter-topic)");
    }

    @Test
    void allTopicsPresentPasses() throws Exception {
        kafka.createTopics(1, "dead-letters-present");
        assertThatCode(() -> KafkaStartupCheck.verify(conf("in", "dead-letters-present")))
                .doesNotThrowAnyException();
        assertThat(KafkaStartupCheck.topicsByOption(conf("in", "x")))
                .containsEntry(JobOptions.INPUT_TOPIC, "in")
                .containsEntry(JobOptions.DEAD_LETTER_TOPIC, "x");
    }

    private static Configuration conf(String input, String deadLetters) {
        return Configuration.fromMap(
                Map.of(
                        JobOptions.BOOTSTRAP_SERVERS.key(),
                        kafka.bootstrapServers(),
                        JobOptions.INPUT_TOPIC.key(),
                        input,
                        JobOptions.LABELED_TOPIC.key(),
                        "labeled",
                        JobOptions.MODERATION_TOPIC.key(),
                        "moderation",
                        JobOptions.DEAD_LETTER_TOPIC.key(),
                        deadLetters,
                        JobOptions.STARTUP_CHECK_TIMEOUT.key(),
                        "20 s"));
    }
}
