package dev.bertstream.jobs.routing;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where a labeled event goes besides the labeled topic: the moderation topic when its
 * toxicity passes the threshold, and an intent topic per intent label.
 *
 * <p>A single-label (softmax) moderation task flags an event when the probability of {@code
 * moderationLabel} reaches {@code moderationThreshold}. A multi-label (sigmoid) task flags it when
 * the model assigned any label that is not one of {@link #NEUTRAL_LABELS} (e.g. {@code insult} or
 * {@code threat}): each label's own calibrated threshold decides, not {@code moderationThreshold}.
 *
 * @param moderationTask task whose score flags an event, e.g. {@code toxicity}
 * @param moderationLabel the flagging label of a single-label task, e.g. {@code toxic}
 * @param moderationThreshold minimum probability of {@code moderationLabel} that flags an event
 *     (single-label task)
 * @param intentTask task that routes events, e.g. {@code intent}
 * @param intentTopicPattern topic per intent, {@code {label}} replaced by the label (sanitised);
 *     empty disables
 * @param intentMinScore minimum score of the intent label to route; below it the event is not
 *     routed
 * @param routeAbstained also route events whose intent is the model's abstain label (e.g. {@code
 *     oos}); by default what the model does not understand is not routed
 */
@Internal
public record RoutingRules(
        String moderationTask,
        String moderationLabel,
        double moderationThreshold,
        String intentTask,
        String intentTopicPattern,
        double intentMinScore,
        boolean routeAbstained)
        implements Serializable {

    /** Labels of a multi-label moderation task that do not flag an event. */
    public static final Set<String> NEUTRAL_LABELS =
            Set.of("neutral", "none", "non_toxic", "not_toxic", "clean", "normal");

    /** Whether the event should go to the moderation topic. */
    public boolean flagged(LabeledEvent e) {
        return result(e, moderationTask)
                .map(
                        r -> {
                            if (r.getMultiLabel()) {
                                return r.getLabels().stream()
                                        .anyMatch(l -> !NEUTRAL_LABELS.contains(l.getLabel()));
                            }
                            Float p = r.getScores().get(moderationLabel);
                            return p != null && p >= moderationThreshold;
                        })
                .orElse(false);
    }

    /** The intent topic of the event, if it has a routable intent. */
    public Optional<String> intentTopic(LabeledEvent e) {
        if (intentTopicPattern == null || intentTopicPattern.isEmpty()) {
            return Optional.empty();
        }
        return result(e, intentTask)
                .filter(r -> r.getScore() >= intentMinScore)
                .filter(r -> routeAbstained || !r.getAbstained())
                .filter(r -> !r.getLabel().isEmpty()) // a multi-label task that assigned none
                .map(r -> IntentTopics.topicFor(intentTopicPattern, r.getLabel()));
    }

    private static Optional<TaskResult> result(LabeledEvent e, String task) {
        return e.getResults().stream().filter(r -> r.getTask().equals(task)).findFirst();
    }
}
