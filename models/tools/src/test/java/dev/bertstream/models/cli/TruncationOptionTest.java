package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.tokenizer.Truncation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --truncation} of {@code models train} and {@code import}, and what {@code info} shows. */
class TruncationOptionTest {

    @TempDir Path tmp;

    @Test
    void trainAndImportParseTheStrategy() {
        TrainCommand train = new TrainCommand();
        new CommandLine(train)
                .parseArgs(
                        "--encoder",
                        "e",
                        "--task",
                        "t=a.tsv",
                        "--out",
                        "o",
                        "--truncation",
                        "head-tail");
        assertThat(train.truncation).isEqualTo(Truncation.HEAD_TAIL);
        TrainCommand inherit = new TrainCommand();
        new CommandLine(inherit).parseArgs("--encoder", "e", "--task", "t=a.tsv", "--out", "o");
        assertThat(inherit.truncation).as("default: the encoder bundle's").isNull();

        ImportCommand imported = new ImportCommand();
        new CommandLine(imported).parseArgs("--from", "x", "--out", "o");
        assertThat(imported.truncation).isEqualTo(Truncation.RIGHT);
        new CommandLine(imported).parseArgs("--from", "x", "--out", "o", "--truncation", "right");
        assertThat(imported.truncation).isEqualTo(Truncation.RIGHT);
        new CommandLine(imported)
                .parseArgs("--from", "x", "--out", "o", "--truncation", "head-tail");
        assertThat(imported.truncation).isEqualTo(Truncation.HEAD_TAIL);
    }

    @Test
    void unknownStrategyIsAUsageErrorNamingTheChoices() {
        CommandRun run =
                CommandRun.of(
                        new ModelsCommand(),
                        "train",
                        "--encoder",
                        tmp.toString(),
                        "--task",
                        "t=" + tmp.resolve("a.tsv"),
                        "--out",
                        tmp.resolve("o").toString(),
                        "--truncation",
                        "middle");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown truncation 'middle': use right or head-tail");
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void infoShowsTheStrategy() throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        Path dir = tmp.resolve("ht");
        BundleWriter.builder(RandomBertWeights.create(RandomBertWeights.tinyConfig(), 2), tokenizer)
                .maxSeqLength(32)
                .truncation(Truncation.HEAD_TAIL)
                .write(dir);
        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", dir.toString());
        assertThat(info.exit()).isZero();
        assertThat(info.out())
                .contains("max length:   32 tokens (longer texts truncated: head-tail)");
    }
}
