package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabelScore;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LabeledEventsTest {

    private static final List<String> EMOTIONS = List.of("anger", "annoyance", "joy");

    private static final BundleManifest MODEL =
            new BundleManifest(
                    BundleManifest.CURRENT_FORMAT,
                    "m",
                    "7",
                    null,
                    32,
                    "mean",
                    "right",
                    List.of(
                            new BundleManifest.Task(
                                    "intent", List.of("billing", "cancel"), "oos", 0.4),
                            BundleManifest.Task.multiLabel(
                                    "emotion", EMOTIONS, List.of(0.5, 0.3, 0.5))),
                    "tokenizer.json",
                    "saved_model",
                    null);

    @Test
    void aMultiLabelTaskCarriesEveryLabelAboveItsThresholdWithItsScore() {
        TaskPrediction emotion =
                new TaskPrediction(
                        "anger",
                        0.75f,
                        EMOTIONS,
                        new float[] {0.75f, 0.4f, 0.1f},
                        List.of(
                                new dev.bertstream.models.inference.LabelScore("anger", 0.75f),
                                new dev.bertstream.models.inference.LabelScore("annoyance", 0.4f)));
        TaskResult r = result(labeled(emotion), "emotion");

        assertThat(r.getMultiLabel()).isTrue();
        assertThat(r.getAbstained()).isFalse();
        assertThat(r.getLabel()).isEqualTo("anger");
        assertThat(r.getLabels())
                .containsExactly(new LabelScore("anger", 0.75f), new LabelScore("annoyance", 0.4f));
        assertThat(r.getScores()).containsEntry("joy", 0.1f).hasSize(3);
    }

    @Test
    void aMultiLabelTaskWithNoLabelAboveItsThresholdAbstainsWithAnEmptyLabel() {
        TaskPrediction emotion =
                new TaskPrediction(
                        TaskPrediction.NO_LABEL,
                        0.2f,
                        EMOTIONS,
                        new float[] {0.2f, 0.1f, 0.1f},
                        List.of());
        TaskResult r = result(labeled(emotion), "emotion");

        assertThat(r.getMultiLabel()).isTrue();
        assertThat(r.getAbstained()).isTrue();
        assertThat(r.getLabel()).isEmpty();
        assertThat(r.getLabels()).isEmpty();
    }

    @Test
    void aSingleLabelTaskCarriesItsWinnerOrNothingWhenItAbstains() {
        TaskResult billing =
                result(
                        labeled(
                                new TaskPrediction(
                                        "billing",
                                        0.9f,
                                        List.of("billing", "cancel"),
                                        new float[] {0.9f, 0.1f})),
                        "intent");
        assertThat(billing.getMultiLabel()).isFalse();
        assertThat(billing.getAbstained()).isFalse();
        assertThat(billing.getLabels()).containsExactly(new LabelScore("billing", 0.9f));

        TaskResult oos =
                result(
                        labeled(
                                new TaskPrediction(
                                        "oos",
                                        0.3f,
                                        List.of("billing", "cancel"),
                                        new float[] {0.3f, 0.7f},
                                        List.of())),
                        "intent");
        assertThat(oos.getAbstained()).isTrue();
        assertThat(oos.getLabels()).isEmpty();
    }

    private static LabeledEvent labeled(TaskPrediction tp) {
        Map<String, TaskPrediction> tasks = new LinkedHashMap<>();
        tasks.put(tp.labels().equals(EMOTIONS) ? "emotion" : "intent", tp);
        return LabeledEvents.of(
                Events.event("1", "k", "text"),
                new Prediction(tasks, 5, false, null),
                MODEL,
                0,
                10);
    }

    private static TaskResult result(LabeledEvent e, String task) {
        return e.getResults().stream()
                .filter(r -> r.getTask().equals(task))
                .findFirst()
                .orElseThrow();
    }
}
