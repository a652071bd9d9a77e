package dev.bertstream.jobs.routing;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;
import dev.bertstream.jobs.testutils.Events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingRulesTest {

    private static final RoutingRules RULES =
            new RoutingRules("toxicity", "toxic", 0.5, "intent", "chat.intent.{label}", 0.3, false);

    @Test
    void routesARecognisedIntentToItsTopic() {
        assertThat(RULES.intentTopic(labeled("refund request", 0.9f, false)))
                .contains("chat.intent.refund_request");
    }

    @Test
    void doesNotRouteAnAbstainedIntentUnlessConfigured() {
        LabeledEvent abstained = labeled("oos", 0.9f, true);

        assertThat(RULES.intentTopic(abstained)).isEmpty();
        assertThat(
                        new RoutingRules(
                                        "toxicity",
                                        "toxic",
                                        0.5,
                                        "intent",
                                        "chat.intent.{label}",
                                        0.3,
                                        true)
                                .intentTopic(abstained))
                .contains("chat.intent.oos");
    }

    @Test
    void doesNotRouteBelowTheMinimumScore() {
        assertThat(RULES.intentTopic(labeled("billing", 0.2f, false))).isEmpty();
    }

    @Test
    void flagsForModerationAtTheThreshold() {
        assertThat(RULES.flagged(labeled("billing", 0.9f, false))).isFalse();
        LabeledEvent toxic = labeled("billing", 0.9f, false);
        toxic.getResults()
                .add(
                        TaskResult.newBuilder()
                                .setTask("toxicity")
                                .setLabel("toxic")
                                .setScore(0.5f)
                                .setScores(Map.of("toxic", 0.5f, "not_toxic", 0.5f))
                                .build());
        assertThat(RULES.flagged(toxic)).isTrue();
    }

    private static LabeledEvent labeled(String intent, float score, boolean abstained) {
        TaskResult result =
                TaskResult.newBuilder()
                        .setTask("intent")
                        .setLabel(intent)
                        .setScore(score)
                        .setAbstained(abstained)
                        .setScores(Map.of(intent, score))
                        .build();
        return LabeledEvent.newBuilder()
                .setEvent(Events.event("1", "k", "text"))
                .setResults(new java.util.ArrayList<>(List.of(result)))
                .setModelName("m")
                .setModelVersion("1")
                .setProcessedAt(Instant.EPOCH)
                .build();
    }
}
