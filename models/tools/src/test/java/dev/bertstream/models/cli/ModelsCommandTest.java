package dev.bertstream.models.cli;

import dev.bertstream.models.testutils.CommandRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code models import / info / predict} end to end, in-process, on the Chinese encoder. */
class ModelsCommandTest {

    @TempDir Path tmp;

    @Test
    void importInfoAndPredict() throws Exception {
        Path bundle = tmp.resolve("bge");
        assertThat(
                        run(
                                        "import",
                                        "--from",
                                        "bge-small-zh",
                                        "--out",
                                        bundle.toString(),
                                        "--max-len",
                                        "64",
                                        "--cache",
                                        Path.of("target", "pretrained").toAbsolutePath().toString())
                                .exit())
                .isZero();
        assertThat(bundle.resolve("bundle.json")).exists();
        try (SavedModelBundle b =
                SavedModelBundle.loader(bundle.resolve("saved_model").toString())
                        .withTags("serve")
                        .load()) {
            assertThat(b.signatures()).isNotEmpty();
        }

        CommandRun info = run("info", "--model", bundle.toString());
        assertThat(info.exit()).isZero();
        assertThat(info.out())
                .contains("bge-small-zh")
                .contains("pooling:      cls")
                .contains("max length:   64 tokens");

        CommandRun predict =
                run("predict", "--model", bundle.toString(), "--json", "酒店很好", "房间太脏了");
        assertThat(predict.exit()).isZero();
        String[] lines = predict.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines[0]);
        assertThat(first.path("text").asText()).isEqualTo("酒店很好");
        assertThat(first.path("tokens").asInt()).isEqualTo(6);
    }

    @Test
    void importOfAFineTunedCheckpointKeepsItsHeadAndRefusesWhatItCannotRun() throws Exception {
        Path checkpoint = Path.of("src", "test", "resources", "parity", "xlm-roberta");
        Path bundle = tmp.resolve("xlmr");
        CommandRun imported =
                run(
                        "import",
                        "--from",
                        checkpoint.toString(),
                        "--out",
                        bundle.toString(),
                        "--task",
                        "moderation",
                        "--cache",
                        tmp.resolve("cache").toString());
        assertThat(imported.exit()).isZero();
        CommandRun info = run("info", "--model", bundle.toString());
        assertThat(info.out())
                .contains("pooling:      cls")
                .contains("max length:   40 tokens")
                .contains("task moderation: insult, threat, obscene, spam (sigmoid");

        CommandRun meanPooled =
                run(
                        "import",
                        "--from",
                        checkpoint.toString(),
                        "--out",
                        tmp.resolve("mean").toString(),
                        "--pooling",
                        "mean",
                        "--cache",
                        tmp.resolve("cache").toString());
        assertThat(meanPooled.exit()).isEqualTo(2);
        assertThat(tmp.resolve("mean")).doesNotExist();

        Path gpt = tmp.resolve("gpt2");
        Files.createDirectories(gpt);
        Files.writeString(gpt.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        Files.write(gpt.resolve("model.safetensors"), new byte[0]);
        CommandRun refused =
                run("import", "--from", gpt.toString(), "--out", tmp.resolve("g").toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("'gpt2'").contains("supported are bert");
    }

    @Test
    void badArgumentsGiveUsageOrErrorExitCodes() throws Exception {
        assertThat(run("import", "--out", tmp.toString()).exit()).isEqualTo(2);
        assertThat(
                        run(
                                        "import",
                                        "--from",
                                        "no-such-model",
                                        "--out",
                                        tmp.resolve("x").toString())
                                .exit())
                .isEqualTo(1);
        Files.createDirectories(tmp.resolve("empty"));
        CommandRun info = run("info", "--model", tmp.resolve("empty").toString());
        assertThat(info.exit()).isEqualTo(1);
        assertThat(info.err()).contains("bundle.json is missing");
    }

    private static CommandRun run(String... args) {
        return CommandRun.of(new ModelsCommand(), args);
    }
}
