package dev.bertstream.jobs.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntentTopicsTest {

    @Test
    void labelReplacesThePlaceholder() {
        assertThat(IntentTopics.topicFor("chat.intent.{label}", "refund"))
                .isEqualTo("chat.intent.refund");
    }

    @Test
    void charactersKafkaRejectsInTopicNamesBecomeUnderscores() {
        assertThat(IntentTopics.topicFor("chat.intent.{label}", "human agent/退款"))
                .isEqualTo("chat.intent.human_agent___");
    }
}
