package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.testutils.TestCorpus;
import dev.bertstream.models.testutils.TestEncoders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistillerTest {

    @Test
    void bundleJsonRecordsTeacherLayersAndGate(@TempDir Path tmp) throws Exception {
        Path teacher = TestEncoders.tinyToxicityBundle(tmp.resolve("teacher"), 5, 4);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        DistillReport report =
                distiller(teacher, tmp)
                        .force(true)
                        .log(new PrintStream(log, true, StandardCharsets.UTF_8))
                        .distill(tmp.resolve("student"));

        BundleManifest m = ModelBundle.readManifest(tmp.resolve("student"));
        DistillationInfo d = m.distillation();
        assertThat(d).isNotNull();
        assertThat(d.teacher()).isEqualTo("tiny 1");
        assertThat(d.teacherManifestSha256()).isEqualTo(ModelBundle.manifestSha256(teacher));
        assertThat(d.teacherLayerIndices()).containsExactly(1, 3);
        assertThat(d.steps()).isEqualTo(12);
        assertThat(d.texts()).isEqualTo(report.texts());
        assertThat(d.gate().tasks())
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.task()).isEqualTo("toxicity");
                            assertThat(t.examples()).isEqualTo(60);
                        });
        assertThat(d.gate().passed()).isEqualTo(report.gate().passed());
        assertThat(m.version())
                .isEqualTo(d.gate().passed() ? "1-distilled-L2" : "1-distilled-L2-failed-gate");
        assertThat(m.encoder().config().numLayers()).isEqualTo(2);
        assertThat(m.maxSeqLength()).isEqualTo(32);
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("texts/s")
                .contains("agreement")
                .contains("Accuracy gate");
        try (ModelBundle student =
                ModelBundle.load(tmp.resolve("student"), SessionSettings.defaults())) {
            assertThat(student.manifest().tasks()).hasSize(1);
        }
    }

    @Test
    void aStudentThatFailsTheGateIsNotWritten(@TempDir Path tmp) throws Exception {
        Path teacher = TestEncoders.tinyToxicityBundle(tmp.resolve("teacher"), 5, 4);

        // One step from a single far-off layer: the student cannot agree on 99.5% of dev texts.
        assertThatThrownBy(
                        () ->
                                distiller(teacher, tmp)
                                        .options(
                                                DistillOptions.builder()
                                                        .layers(1)
                                                        .steps(1)
                                                        .batchSize(8)
                                                        .maxLen(16)
                                                        .build())
                                        .log(
                                                new PrintStream(
                                                        new ByteArrayOutputStream(),
                                                        true,
                                                        StandardCharsets.UTF_8))
                                        .distill(tmp.resolve("student")))
                .isInstanceOf(GateFailedException.class)
                .hasMessageContaining("agreement")
                .hasMessageContaining("--force");
        assertThat(tmp.resolve("student")).doesNotExist();
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no staging directory left behind")
                    .containsExactlyInAnyOrder("teacher", "texts.txt", "dev.tsv");
        }
    }

    private static Distiller distiller(Path teacher, Path tmp) throws Exception {
        Path texts = tmp.resolve("texts.txt");
        Files.write(texts, TestCorpus.english(300), StandardCharsets.UTF_8);
        Path dev = tmp.resolve("dev.tsv");
        List<String> lines = new ArrayList<>();
        List<String> devTexts = TestCorpus.english(60);
        for (int i = 0; i < devTexts.size(); i++) {
            lines.add(
                    devTexts.get(i).replaceAll("\\s+", " ")
                            + "\t"
                            + (i % 3 == 0 ? "toxic" : "not_toxic"));
        }
        Files.write(dev, lines, StandardCharsets.UTF_8);
        return Distiller.builder(teacher)
                .texts(List.of(texts))
                .dev(List.of(DistillationGate.DevSet.parse("toxicity=" + dev)))
                .options(
                        DistillOptions.builder()
                                .layers(2)
                                .steps(12)
                                .batchSize(16)
                                .maxLen(16)
                                .evalEvery(5)
                                .build());
    }
}
