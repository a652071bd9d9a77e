package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.LabelScore;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A bundle with sigmoid (multi-label) heads next to a softmax head, on the tiny random encoder:
 * written, loaded, and predicting every label at or above its threshold.
 */
class MultiLabelBundleTest {

    private static final List<String> EMOTIONS = List.of("anger", "annoyance", "joy");

    @TempDir Path tmp;

    /**
     * A sigmoid head whose scores do not depend on the text (zero kernel), so the expected labels
     * follow from the bias alone: sigmoid(2) = 0.881, sigmoid(0) = 0.5, sigmoid(-2) = 0.119.
     */
    private static TaskHead constantSigmoidHead(String name, int hidden) {
        return new TaskHead(
                name,
                EMOTIONS,
                new WeightTensor(new long[] {hidden, 3}, new float[hidden * 3]),
                new WeightTensor(new long[] {3}, new float[] {2f, 0f, -2f}),
                HeadActivation.SIGMOID);
    }

    @Test
    void sigmoidHeadsRoundTripAndAssignEveryLabelAtOrAboveItsThreshold() throws Exception {
        int hidden = RandomBertWeights.tinyConfig().hiddenSize();
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        Path dir = tmp.resolve("bundle");
        BundleWriter.builder(RandomBertWeights.create(RandomBertWeights.tinyConfig(), 3), tokenizer)
                .maxSeqLength(32)
                .heads(
                        List.of(
                                RandomBertWeights.head(
                                        "sentiment", List.of("negative", "positive"), hidden, 1),
                                constantSigmoidHead("emotion", hidden),
                                constantSigmoidHead("strict", hidden)),
                        List.of(
                                new BundleManifest.Task(
                                        "sentiment", List.of("negative", "positive"), null, null),
                                // anger 0.881 >= 0.5, annoyance 0.5 < 0.6, joy 0.119 >= 0.1
                                BundleManifest.Task.multiLabel(
                                        "emotion", EMOTIONS, List.of(0.5, 0.6, 0.1)),
                                BundleManifest.Task.multiLabel(
                                        "strict", EMOTIONS, List.of(0.99, 0.99, 0.99))))
                .write(dir);

        try (ModelBundle bundle = ModelBundle.load(dir, SessionSettings.defaults());
                BatchPredictor predictor = BatchPredictor.builder(bundle).build()) {
            BundleManifest.Task emotion = bundle.manifest().task("emotion");
            assertThat(emotion.multiLabel()).isTrue();
            assertThat(emotion.thresholds()).containsExactly(0.5, 0.6, 0.1);
            assertThat(bundle.manifest().task("sentiment").multiLabel()).isFalse();
            assertThat(bundle.manifest().task("sentiment").thresholds()).isNull();

            for (Prediction p :
                    predictor.predict(List.of("so annoying", "thanks!")).predictions()) {
                TaskPrediction e = p.task("emotion");
                assertThat(e.probabilities()[0]).isCloseTo(0.8808f, within(1e-4f));
                assertThat(e.probabilities()[1]).isCloseTo(0.5f, within(1e-4f));
                assertThat(e.probabilities()[2]).isCloseTo(0.1192f, within(1e-4f));
                assertThat(e.assigned())
                        .extracting(LabelScore::label)
                        .containsExactly("anger", "joy");
                assertThat(e.label()).isEqualTo("anger");
                assertThat(e.score()).isEqualTo(e.probabilities()[0]);

                TaskPrediction strict = p.task("strict");
                assertThat(strict.assigned()).isEmpty();
                assertThat(strict.label()).isEqualTo(TaskPrediction.NO_LABEL);
                assertThat(strict.score()).isCloseTo(0.8808f, within(1e-4f));

                // The softmax head beside them is unchanged: one label, probabilities sum to 1.
                TaskPrediction s = p.task("sentiment");
                assertThat(s.probabilities()[0] + s.probabilities()[1])
                        .isCloseTo(1f, within(1e-5f));
                assertThat(s.assigned()).extracting(LabelScore::label).containsExactly(s.label());
            }
        }
    }

    @Test
    void aManifestWithoutActivationIsSoftmaxAsBundlesWrittenBeforeMultiLabelHeads()
            throws Exception {
        BundleManifest.Task old =
                new ObjectMapper()
                        .readValue(
                                "{\"name\":\"toxicity\",\"labels\":[\"not_toxic\",\"toxic\"]}",
                                BundleManifest.Task.class);
        assertThat(old.headActivation()).isEqualTo(HeadActivation.SOFTMAX);
        assertThat(old.multiLabel()).isFalse();
        assertThat(old.thresholds()).isNull();
    }

    @Test
    void thresholdsMustMatchTheLabelsAndBelongToASigmoidHead() throws Exception {
        assertThatThrownBy(() -> BundleManifest.Task.multiLabel("emotion", EMOTIONS, List.of(0.5)))
                .hasMessageContaining("1 thresholds for 3 labels");
        int hidden = RandomBertWeights.tinyConfig().hiddenSize();
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        assertThatThrownBy(
                        () ->
                                BundleWriter.builder(
                                                RandomBertWeights.create(
                                                        RandomBertWeights.tinyConfig(), 3),
                                                tokenizer)
                                        .maxSeqLength(32)
                                        .heads(
                                                List.of(
                                                        RandomBertWeights.head(
                                                                "emotion", EMOTIONS, hidden, 1)),
                                                List.of(
                                                        BundleManifest.Task.multiLabel(
                                                                "emotion",
                                                                EMOTIONS,
                                                                List.of(0.5, 0.5, 0.5))))
                                        .write(tmp.resolve("bad")))
                .hasMessageContaining("softmax head");
    }
}
