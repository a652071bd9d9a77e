package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.weights.WeightTensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MaskedLmPretrainerTest {

    @Test
    void learnsTheDomainsWordsAndWritesAnEncoderBundleThatLoads(@TempDir Path tmp)
            throws Exception {
        Path encoder = TestEncoders.tinyToxicityBundle(tmp.resolve("tiny"), 5);
        // A small domain language: six fixed sentences, so a masked word is predictable from its
        // context once the encoder has learned them.
        String[] sentences = {
            "my parcel arrived broken and late",
            "please refund the order today",
            "support never answered my email",
            "the courier left the box outside",
            "thanks for the quick replacement",
            "cancel my subscription right now"
        };
        Random random = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            lines.add(sentences[random.nextInt(sentences.length)]);
        }
        Path corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, lines, StandardCharsets.UTF_8);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PretrainReport report =
                MaskedLmPretrainer.builder(encoder)
                        .texts(List.of(corpus))
                        .options(
                                PretrainOptions.builder()
                                        .learningRate(1e-2)
                                        .batchSize(16)
                                        .maxLen(16)
                                        .epochs(3)
                                        .build())
                        .log(new PrintStream(log, true, StandardCharsets.UTF_8))
                        .pretrain(tmp.resolve("out"));

        assertThat(report.texts()).isEqualTo(1200 - 24);
        assertThat(report.after().loss()).isLessThan(report.before().loss() * 0.5);
        assertThat(report.after().accuracy()).isGreaterThan(0.9);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("held-out masked tokens");

        BundleManifest manifest = ModelBundle.readManifest(tmp.resolve("out"));
        assertThat(manifest.tasks()).isEmpty();
        assertThat(manifest.version()).isEqualTo("1-mlm");
        try (ModelBundle before = ModelBundle.load(encoder, SessionSettings.defaults());
                ModelBundle after =
                        ModelBundle.load(tmp.resolve("out"), SessionSettings.defaults())) {
            WeightTensor q0 = before.encoderWeights().get("embeddings.word_embeddings.weight");
            WeightTensor q1 = after.encoderWeights().get("embeddings.word_embeddings.weight");
            assertThat(q1.data()).isNotEqualTo(q0.data());
        }
    }
}
