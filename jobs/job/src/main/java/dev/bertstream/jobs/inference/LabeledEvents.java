package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabelScore;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;
import dev.bertstream.events.TextEvent;
import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the labeled output event of one input event and its prediction. */
final class LabeledEvents {

    /**
     * Attribute set on events whose text the model saw only partly (longer than its max sequence
     * length).
     */
    public static final String MODEL_TRUNCATED_ATTRIBUTE = "bertstream.model.truncated-to-tokens";

    private LabeledEvents() {}

    /**
     * @param arrivedAtMillis when the job first saw the event (for {@code latency_ms})
     * @param nowMillis processing time
     */
    public static LabeledEvent of(
            TextEvent event,
            Prediction p,
            BundleManifest model,
            long arrivedAtMillis,
            long nowMillis) {
        List<TaskResult> results = new ArrayList<>(p.tasks().size());
        for (Map.Entry<String, TaskPrediction> e : p.tasks().entrySet()) {
            TaskPrediction tp = e.getValue();
            Map<String, Float> scores = new HashMap<>(tp.scores());
            BundleManifest.Task task = model.task(e.getKey());
            boolean multiLabel = task != null && task.multiLabel();
            // A multi-label task abstains when no label reaches its threshold.
            boolean abstained =
                    multiLabel
                            ? tp.assigned().isEmpty()
                            : task != null && tp.label().equals(task.abstainLabel());
            results.add(
                    TaskResult.newBuilder()
                            .setTask(e.getKey())
                            .setLabel(tp.label())
                            .setScore(tp.score())
                            .setAbstained(abstained)
                            .setScores(scores)
                            .setMultiLabel(multiLabel)
                            .setLabels(
                                    tp.assigned().stream()
                                            .map(a -> new LabelScore(a.label(), a.score()))
                                            .toList())
                            .build());
        }
        TextEvent out = event;
        if (p.truncated()) {
            Map<String, String> attributes = new HashMap<>(event.getAttributes());
            attributes.put(MODEL_TRUNCATED_ATTRIBUTE, Integer.toString(p.tokens()));
            out = TextEvent.newBuilder(event).setAttributes(attributes).build();
        }
        return LabeledEvent.newBuilder()
                .setEvent(out)
                .setResults(results)
                .setModelName(model.name())
                .setModelVersion(model.version())
                .setProcessedAt(Instant.ofEpochMilli(nowMillis))
                .setLatencyMs(Math.max(0, nowMillis - arrivedAtMillis))
                .build();
    }
}
