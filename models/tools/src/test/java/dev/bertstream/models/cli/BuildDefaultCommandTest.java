package dev.bertstream.models.cli;

import dev.bertstream.models.testutils.CommandRun;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code models build-default} refuses options that would be ignored, before building anything. */
class BuildDefaultCommandTest {

    @Test
    void anUnknownLanguageIsAUsageError() {
        CommandRun run = CommandRun.of(new ModelsCommand(), "build-default", "--only", "fr");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("No default bundle for language 'fr'; there are en and zh");
    }

    @Test
    void theEnglishDirectoryWithOnlyChineseIsAUsageError() {
        CommandRun run =
                CommandRun.of(new ModelsCommand(), "build-default", "--only", "zh", "--out", "x");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--only zh does not build the other");
    }

    @Test
    void anEnglishEncoderThatIsNotEnglishIsAUsageError() {
        CommandRun run =
                CommandRun.of(new ModelsCommand(), "build-default", "--en-encoder", "bge-small-zh");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("the English bundle is built on minilm-l6 or bge-small-en");
    }

    @Test
    void anEnglishEncoderWithOnlyChineseIsAUsageError() {
        CommandRun run =
                CommandRun.of(
                        new ModelsCommand(),
                        "build-default",
                        "--only",
                        "zh",
                        "--en-encoder",
                        "bge-small-en");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--only zh builds no English bundle");
    }
}
