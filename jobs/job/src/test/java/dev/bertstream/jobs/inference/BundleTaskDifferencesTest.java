package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleManifest.Task;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BundleTaskDifferencesTest {

    private static final Task TOXICITY =
            new Task("toxicity", List.of("not_toxic", "toxic"), null, null);
    private static final Task INTENT = new Task("intent", List.of("billing", "oos"), "oos", 0.4);

    @Test
    void aLanguageBundleWithoutTheIntentTaskIsNamedWithWhatItMeansForRouting() {
        List<String> warnings =
                BundleTaskDifferences.of(
                        "zh", manifest("chat", TOXICITY, INTENT), manifest("chat-zh", TOXICITY));
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("The 'zh' bundle (chat-zh 1) has no task [intent]")
                .contains("routing.intent-task never flag or route them");
    }

    @Test
    void otherLabelsOfTheSameTaskAreNamed() {
        Task offensive = new Task("toxicity", List.of("none", "offensive"), null, null);
        assertThat(
                        BundleTaskDifferences.of(
                                "zh", manifest("chat", TOXICITY), manifest("chat-zh", offensive)))
                .singleElement()
                .asString()
                .contains("labels task 'toxicity' with [none, offensive]")
                .contains("the default bundle with [not_toxic, toxic]");
    }

    @Test
    void bundlesWithTheSameTasksAndOwnNamesHaveNoWarnings() {
        assertThat(
                        BundleTaskDifferences.of(
                                "zh",
                                manifest("chat", TOXICITY, INTENT),
                                manifest("chat-zh", TOXICITY, INTENT)))
                .isEmpty();
    }

    @Test
    void aLanguageBundleNamedLikeTheDefaultOneIsNamed() {
        assertThat(
                        BundleTaskDifferences.of(
                                "zh", manifest("chat", TOXICITY), manifest("chat", TOXICITY)))
                .singleElement()
                .asString()
                .contains("give the bundles different names");
    }

    private static BundleManifest manifest(String name, Task... tasks) {
        return new BundleManifest(
                BundleManifest.CURRENT_FORMAT,
                name,
                "1",
                null,
                64,
                "cls",
                "right",
                List.of(tasks),
                null,
                null,
                null);
    }
}
