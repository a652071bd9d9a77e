package dev.bertstream.models.imports;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.TaskPrediction;
import dev.bertstream.models.testutils.ParityFixture;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fine-tuned multi-label checkpoint imported into a bundle: the manifest records the sigmoid
 * head, and inference returns one independent score per label, with the top label as prediction.
 */
class ImportedClassifierBundleTest {

    @TempDir Path tmp;

    @Test
    void multiLabelHeadScoresEveryLabelIndependently() throws Exception {
        ImportedEncoder e =
                HfCheckpointImporter.importDirectory(
                        ParityFixture.ROOT.resolve("xlm-roberta"), tmp.resolve("w"));
        Path dir = tmp.resolve("bundle");
        BundleManifest m =
                BundleWriter.builder(e.weights(), e.tokenizerFile())
                        .activation(Activation.fromHuggingFace(e.activation()))
                        .pooling(e.pooling())
                        .heads(e.heads())
                        .maxSeqLength(16)
                        .write(dir);
        BundleManifest.Task task = m.task(HfCheckpointImporter.DEFAULT_TASK);
        assertThat(task.activation()).isEqualTo("sigmoid");
        assertThat(task.headActivation()).isEqualTo(HeadActivation.SIGMOID);

        List<String> texts = List.of("w1 w2 w3 w4 w5", "w7", "w10 w11 w12");
        try (ModelBundle bundle = ModelBundle.load(dir, SessionSettings.defaults());
                BatchPredictor predictor = BatchPredictor.builder(bundle).build();
                BertTokenizer tok = BertTokenizer.fromTokenizerJson(bundle.tokenizerFile(), 16)) {
            var predictions = predictor.predict(texts).predictions();
            for (int i = 0; i < texts.size(); i++) {
                TaskPrediction p = predictions.get(i).task(HfCheckpointImporter.DEFAULT_TASK);
                float[] logits = logitsOf(bundle, tok.encode(texts.get(i)));
                for (int k = 0; k < logits.length; k++) {
                    float sigmoid = (float) (1 / (1 + Math.exp(-logits[k])));
                    assertThat(p.probabilities()[k]).isCloseTo(sigmoid, within(1e-5f));
                }
                int top = 0;
                for (int k = 1; k < logits.length; k++) {
                    top = logits[k] > logits[top] ? k : top;
                }
                // Without calibrated thresholds every label needs a score of 0.5 (logit 0), as
                // Hugging Face's multi-label pipelines assume; the top label leads when it passes.
                List<String> passing = new java.util.ArrayList<>();
                for (int k = 0; k < logits.length; k++) {
                    if (p.probabilities()[k] >= 0.5f) {
                        passing.add(task.labels().get(k));
                    }
                }
                assertThat(p.assigned())
                        .extracting(dev.bertstream.models.inference.LabelScore::label)
                        .containsExactlyInAnyOrderElementsOf(passing);
                assertThat(p.label())
                        .isEqualTo(
                                passing.isEmpty()
                                        ? TaskPrediction.NO_LABEL
                                        : task.labels().get(top));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"distilbert", "roberta", "modernbert"})
    void importedBundlesGiveTheirEncoderBackForRetraining(String arch) throws Exception {
        ImportedEncoder e =
                HfCheckpointImporter.importDirectory(
                        ParityFixture.ROOT.resolve(arch), tmp.resolve("w-" + arch));
        Path dir = tmp.resolve("bundle-" + arch);
        BundleWriter.builder(e.weights(), e.tokenizerFile())
                .activation(Activation.fromHuggingFace(e.activation()))
                .heads(e.heads())
                .pooling(
                        e.pooling() == null
                                ? dev.bertstream.models.graph.Pooling.MEAN
                                : e.pooling())
                .maxSeqLength(16)
                .write(dir);
        try (ModelBundle bundle = ModelBundle.load(dir, SessionSettings.defaults())) {
            var back = bundle.encoderWeights();
            assertThat(back.config()).isEqualTo(e.config());
            assertThat(back.tensors().keySet())
                    .containsExactlyInAnyOrderElementsOf(e.weights().tensors().keySet());
            e.weights()
                    .tensors()
                    .forEach(
                            (name, t) ->
                                    assertThat(back.get(name).data()).as(name).isEqualTo(t.data()));
        }
    }

    private static org.assertj.core.data.Offset<Float> within(float v) {
        return org.assertj.core.data.Offset.offset(v);
    }

    private static float[] logitsOf(ModelBundle bundle, TokenizedText t) {
        int n = t.length();
        int[] mask = new int[n];
        Arrays.fill(mask, 1);
        ParityFixture one =
                new ParityFixture(null, 1, n, t.inputIds(), t.typeIds(), mask, null, null);
        return CheckpointParityTest.run(
                        bundle,
                        one,
                        List.of(SignatureNames.logits(HfCheckpointImporter.DEFAULT_TASK)))
                .get(0);
    }
}
