package dev.bertstream.jobs.routing;

import dev.bertstream.events.LabelScore;
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

    @Test
    void aMultiLabelToxicityTaskFlagsWhenAnyNonNeutralLabelPassesItsThreshold() {
        LabeledEvent insult = labeled("billing", 0.9f, false);
        insult.getResults().add(multiLabelToxicity(List.of(new LabelScore("insult", 0.31f))));
        // 0.31 is below the single-label threshold of 0.5: the label's own threshold decided.
        assertThat(RULES.flagged(insult)).isTrue();

        LabeledEvent neutral = labeled("billing", 0.9f, false);
        neutral.getResults().add(multiLabelToxicity(List.of(new LabelScore("neutral", 0.9f))));
        assertThat(RULES.flagged(neutral)).isFalse();

        // No label passed, even if "toxic" scores above the single-label threshold.
        LabeledEvent none = labeled("billing", 0.9f, false);
        none.getResults().add(multiLabelToxicity(List.of()));
        assertThat(RULES.flagged(none)).isFalse();
    }

    @Test
    void aMultiLabelIntentTaskThatAssignedNothingIsNotRouted() {
        LabeledEvent none = labeled("", 0.9f, true);
        none.getResults().get(0).setMultiLabel(true);
        assertThat(
                        new RoutingRules(
                                        "toxicity",
                                        "toxic",
                                        0.5,
                                        "intent",
                                        "chat.intent.{label}",
                                        0.3,
                                        true)
                                .intentTopic(none))
                .isEmpty();
    }

    private static TaskResult multiLabelToxicity(List<LabelScore> assigned) {
        return TaskResult.newBuilder()
                .setTask("toxicity")
                .setLabel(assigned.isEmpty() ? "" : assigned.get(0).getLabel())
                .setScore(0.9f)
                .setAbstained(assigned.isEmpty())
                .setScores(Map.of("toxic", 0.9f, "insult", 0.31f, "neutral", 0.9f))
                .setMultiLabel(true)
                .setLabels(assigned)
                .build();
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
