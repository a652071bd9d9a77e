package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.RandomBertWeights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code models info} says what it checked: it hashes every file and fails on a modified one. */
class InfoCommandTest {

    @TempDir static Path tmp;
    static Path bundle;

    @BeforeAll
    static void writeTinyBundle() throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        bundle = tmp.resolve("tiny");
        BundleWriter.builder(RandomBertWeights.create(RandomBertWeights.tinyConfig(), 5), tokenizer)
                .name("tiny")
                .version("1")
                .maxSeqLength(32)
                .heads(
                        List.of(
                                RandomBertWeights.head(
                                        "toxicity",
                                        List.of("not_toxic", "toxic"),
                                        RandomBertWeights.tinyConfig().hiddenSize(),
                                        1)))
                .write(bundle);
    }

    @Test
    void intactBundleIsReportedAsCheckedNow() {
        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", bundle.toString());
        assertThat(info.exit()).isZero();
        assertThat(info.out())
                .contains("model:        tiny 1")
                .containsPattern("files: +\\d+, sha256 of each checked now: all match bundle.json")
                .doesNotContain("verified at load");
    }

    @Test
    void modifiedWeightsFileFailsNamingTheFile() throws Exception {
        Path copy = tmp.resolve("modified");
        copyTree(bundle, copy);
        Path weights;
        try (Stream<Path> files = Files.walk(copy.resolve("saved_model").resolve("variables"))) {
            weights =
                    files.filter(f -> f.getFileName().toString().startsWith("variables.data"))
                            .findFirst()
                            .orElseThrow();
        }
        Files.write(weights, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", copy.toString());

        assertThat(info.exit()).isEqualTo(1);
        assertThat(info.out())
                .containsPattern("files: +\\d+, sha256 check FAILED")
                .doesNotContain("all match")
                .doesNotContain("verified");
        assertThat(info.err())
                .contains("was modified")
                .contains(copy.relativize(weights).toString().replace('\\', '/'));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
