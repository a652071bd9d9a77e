package dev.bertstream.models.training;

import dev.bertstream.models.training.DefaultBundle.Language;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed data shipped in the jar trains every default bundle with the labels the job relies on
 * (moderation label {@code toxic}, abstain label {@code oos}, the same intents in every language),
 * and dev shares no line with train.
 */
class DefaultBundleSeedDataTest {

    @TempDir Path tmp;

    private static final Map<String, Set<String>> LABELS =
            Map.of(
                    "sentiment", Set.of("negative", "neutral", "positive"),
                    "toxicity", Set.of("not_toxic", "toxic"),
                    "intent",
                            Set.of(
                                    "account_access",
                                    "billing",
                                    "cancel",
                                    "greeting",
                                    "human_agent",
                                    "oos",
                                    "refund",
                                    "shipping",
                                    "technical_issue"));

    @Test
    void everyLanguageHasEveryTaskWithTheLabelsTheJobExpects() throws Exception {
        for (Language language : Language.values()) {
            for (String task : DefaultBundle.TASKS) {
                List<LabeledExample> train = read(language, task, "train");
                List<LabeledExample> dev = read(language, task, "dev");
                assertThat(labels(train)).as(language + " " + task).isEqualTo(LABELS.get(task));
                assertThat(labels(dev))
                        .as(language + " " + task + " dev")
                        .isEqualTo(LABELS.get(task));
                Set<String> trainTexts = new HashSet<>();
                train.forEach(e -> trainTexts.add(normalise(e.text())));
                assertThat(dev)
                        .as(language + " " + task + ": dev lines also in train")
                        .noneMatch(e -> trainTexts.contains(normalise(e.text())));
            }
        }
    }

    @Test
    void theHeldOutSupportChatIsNotInTheJarAndSharesNoLineWithTheSeedData() throws Exception {
        List<LabeledExample> heldOut =
                LabeledDatasetReader.read(Path.of("data", "holdout", "support-toxicity.tsv"));
        assertThat(labels(heldOut)).isEqualTo(LABELS.get("toxicity"));
        Set<String> seed = new HashSet<>();
        for (String split : List.of("train", "dev")) {
            read(Language.ENGLISH, "toxicity", split).forEach(e -> seed.add(normalise(e.text())));
        }
        assertThat(heldOut)
                .as("held-out lines in the seed data")
                .noneMatch(e -> seed.contains(normalise(e.text())));
        assertThat(
                        DefaultBundle.class.getResource(
                                "/dev/bertstream/models/seed/holdout/support-toxicity.tsv"))
                .as("test data shipped with the training data")
                .isNull();
    }

    @Test
    void theChineseBundleLivesBesideTheEnglishOne() {
        assertThat(DefaultBundle.chineseLocation().getParent())
                .isEqualTo(DefaultBundle.defaultLocation().getParent());
        assertThat(DefaultBundle.chineseLocation()).isNotEqualTo(DefaultBundle.defaultLocation());
        assertThat(Language.ofCode("ZH")).isEqualTo(Language.CHINESE);
    }

    private List<LabeledExample> read(Language language, String task, String split)
            throws Exception {
        String resource = DefaultBundle.seedResource(language, task, split);
        try (InputStream in = DefaultBundle.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Path file = tmp.resolve(language.code() + "-" + task + "-" + split + ".tsv");
            Files.copy(in, file);
            return LabeledDatasetReader.read(file);
        }
    }

    private static Set<String> labels(List<LabeledExample> examples) {
        return examples.stream()
                .map(LabeledExample::label)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String normalise(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("(?U)\\W+", " ").strip();
    }
}
