package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.TestEncoders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models train} makes a task multi-label from comma-separated labels alone, and {@code
 * models eval} scores it with the {@code macro-F1 X} summary every task has, on the tiny encoder.
 */
class MultiLabelCommandsTest {

    @TempDir Path tmp;

    @Test
    void commaSeparatedLabelsTrainAMultiLabelTaskThatEvalScoresWithMacroF1() throws Exception {
        Path encoder = TestEncoders.tinyToxicityBundle(tmp.resolve("tiny"), 5);
        StringBuilder data = new StringBuilder("text\tlabel\n");
        String[] labels = {"anger", "anger,annoyance", "joy", "annoyance", "joy,anger"};
        for (int i = 0; i < 40; i++) {
            data.append("comment number ")
                    .append(i)
                    .append('\t')
                    .append(labels[i % 5])
                    .append('\n');
        }
        Path file = tmp.resolve("emotions.tsv");
        Files.writeString(file, data);
        Path model = tmp.resolve("model");

        CommandRun train =
                CommandRun.of(
                        new ModelsCommand(),
                        "train",
                        "--encoder",
                        encoder.toString(),
                        "--task",
                        "emotion=" + file + "," + file,
                        "--epochs",
                        "2",
                        "--out",
                        model.toString());
        assertThat(train.exit()).as(train.err()).isZero();
        assertThat(ModelBundle.readManifest(model).task("emotion").multiLabel()).isTrue();

        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", model.toString());
        assertThat(info.out()).contains("(sigmoid: an independent score per label; multi-label, ");

        Path reports = tmp.resolve("eval");
        CommandRun eval =
                CommandRun.of(
                        new ModelsCommand(),
                        "eval",
                        "--model",
                        model.toString(),
                        "--task",
                        "emotion=" + file,
                        "--out",
                        reports.toString());
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out())
                .containsPattern("emotion +macro-F1 [01]\\.\\d{4} +micro-F1 [01]\\.\\d{4}")
                .contains("(40 examples, multi-label)");
        assertThat(Files.readString(reports.resolve("emotion.md")))
                .contains("| annoyance |")
                .contains("micro-F1");
        assertThat(reports.resolve("emotion.json")).exists();
    }
}
