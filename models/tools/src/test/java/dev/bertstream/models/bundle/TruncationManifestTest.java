package dev.bertstream.models.bundle;

import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.tokenizer.Truncation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * bundle.json's {@code truncation}: written and read back, absent in older bundles (right), and an
 * unknown value refused at load with the file and the choices.
 */
class TruncationManifestTest {

    @TempDir Path tmp;

    @Test
    void headTailIsWrittenAndReadBack() throws Exception {
        Path dir = write(tmp.resolve("ht"), Truncation.HEAD_TAIL);
        assertThat(Files.readString(dir.resolve(ModelBundle.MANIFEST)))
                .contains("\"truncation\" : \"head-tail\"");
        BundleManifest m = ModelBundle.readManifest(dir);
        assertThat(m.truncation()).isEqualTo("head-tail");
        assertThat(m.truncationStrategy()).isEqualTo(Truncation.HEAD_TAIL);
        try (ModelBundle b = ModelBundle.load(dir, SessionSettings.defaults())) {
            assertThat(b.manifest().truncationStrategy()).isEqualTo(Truncation.HEAD_TAIL);
        }
        Path right = write(tmp.resolve("right"), Truncation.RIGHT);
        assertThat(ModelBundle.readManifest(right).truncation()).isEqualTo("right");
    }

    @Test
    void manifestWithoutTheFieldLoadsAndServesRightTruncation() throws Exception {
        Path dir = write(tmp.resolve("old"), Truncation.HEAD_TAIL);
        // A bundle written before truncation was configurable: bundle.json has no such field
        // (bundle.json is not among the files it checksums, so the edit leaves it valid).
        rewriteManifest(dir, "\\s*\"truncation\" : \"head-tail\",", "");
        assertThat(Files.readString(dir.resolve(ModelBundle.MANIFEST)))
                .doesNotContain("truncation");
        try (ModelBundle b = ModelBundle.load(dir, SessionSettings.defaults());
                BatchPredictor p = BatchPredictor.builder(b).build()) {
            assertThat(b.manifest().truncation()).isNull();
            assertThat(b.manifest().truncationStrategy()).isEqualTo(Truncation.RIGHT);
            assertThat(p.tokenizer().truncation()).isEqualTo(Truncation.RIGHT);
        }
    }

    @Test
    void unknownStrategyIsRefusedAtLoadNamingTheChoices() throws Exception {
        Path dir = write(tmp.resolve("bad"), Truncation.HEAD_TAIL);
        rewriteManifest(dir, "\"head-tail\"", "\"middle\"");
        for (Runnable load :
                new Runnable[] {
                    () -> ModelBundle.load(dir, SessionSettings.defaults()).close(),
                    () -> ModelBundle.readManifest(dir)
                }) {
            assertThatThrownBy(load::run)
                    .isInstanceOf(InvalidBundleException.class)
                    .hasMessageContaining(ModelBundle.MANIFEST)
                    .hasMessageEndingWith("Unknown truncation 'middle': use right or head-tail");
        }
    }

    private static Path write(Path dir, Truncation truncation) throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        BundleWriter.builder(RandomBertWeights.create(RandomBertWeights.tinyConfig(), 3), tokenizer)
                .maxSeqLength(32)
                .truncation(truncation)
                .write(dir);
        return dir;
    }

    private static void rewriteManifest(Path dir, String regex, String replacement)
            throws Exception {
        Path file = dir.resolve(ModelBundle.MANIFEST);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        String edited = json.replaceAll(regex, replacement);
        assertThat(edited).isNotEqualTo(json);
        Files.writeString(file, edited, StandardCharsets.UTF_8);
    }
}
