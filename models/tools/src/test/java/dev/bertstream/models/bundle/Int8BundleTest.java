package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.SessionProfile;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.TestCorpus;
import dev.bertstream.models.weights.BertWeights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An int8 bundle of a tiny random encoder against its float32 bundle: hidden states within int8
 * rounding, the same labels, the quantised kernels in the graph TensorFlow runs, and the precision
 * in bundle.json. Needs oneDNN ({@code TF_ENABLE_ONEDNN_OPTS=1} on CPUs without VNNI).
 */
class Int8BundleTest {

    @TempDir static Path tmp;
    static final BertWeights WEIGHTS = RandomBertWeights.create(RandomBertWeights.tinyConfig(), 5);
    static Path float32;
    static Path int8;

    @BeforeAll
    static void writeBundles() throws Exception {
        assumeTrue(
                OneDnnSupport.enabled(), "int8 kernels need oneDNN: " + OneDnnSupport.describe());
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        var head =
                RandomBertWeights.head(
                        "sentiment",
                        List.of("negative", "neutral", "positive"),
                        WEIGHTS.config().hiddenSize(),
                        3);
        float32 = tmp.resolve("f32");
        int8 = tmp.resolve("int8");
        BundleWriter.builder(WEIGHTS, tokenizer).heads(List.of(head)).write(float32);
        BundleWriter.builder(WEIGHTS, tokenizer)
                .heads(List.of(head))
                .precision(Precision.INT8)
                .write(int8);
    }

    @Test
    void int8HiddenStatesAreWithinTwoPercentOfFloat32() {
        int rows = 6;
        int width = 17;
        Random r = new Random(9);
        int[] ids = new int[rows * width];
        int[] mask = new int[rows * width];
        for (int i = 0; i < rows; i++) {
            int len = 3 + r.nextInt(width - 2);
            for (int t = 0; t < len; t++) {
                ids[i * width + t] = 100 + r.nextInt(20000);
                mask[i * width + t] = 1;
            }
        }
        float[] want = hidden(float32, ids, mask, rows, width);
        float[] got = hidden(int8, ids, mask, rows, width);
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        double relRms = Math.sqrt(num / den);
        // Int8 rounding moves LayerNorm'd states by about 1%; a wrong scale or zero point by far
        // more (coarse 2-level weights: ~30%).
        assertThat(relRms).isLessThan(0.02).isGreaterThan(0);
    }

    @Test
    void int8BundlePredictsTheFloat32Labels() {
        List<String> texts = TestCorpus.english(60);
        try (ModelBundle f = ModelBundle.load(float32, SessionSettings.defaults());
                ModelBundle q = ModelBundle.load(int8, SessionSettings.defaults());
                BatchPredictor pf = BatchPredictor.builder(f).build();
                BatchPredictor pq = BatchPredictor.builder(q).build()) {
            List<Prediction> a = pf.predict(texts).predictions();
            List<Prediction> b = pq.predict(texts).predictions();
            int same = 0;
            float maxDiff = 0;
            for (int i = 0; i < texts.size(); i++) {
                same +=
                        a.get(i)
                                        .task("sentiment")
                                        .label()
                                        .equals(b.get(i).task("sentiment").label())
                                ? 1
                                : 0;
                for (int c = 0; c < 3; c++) {
                    maxDiff =
                            Math.max(
                                    maxDiff,
                                    Math.abs(
                                            a.get(i).task("sentiment").probabilities()[c]
                                                    - b.get(i)
                                                            .task("sentiment")
                                                            .probabilities()[c]));
                }
            }
            assertThat(same).isGreaterThanOrEqualTo(texts.size() - 1);
            assertThat(maxDiff).isLessThan(0.02f);
        }
    }

    @Test
    void graphRunsEveryEncoderDenseLayerOnTheOneDnnInt8Kernel() {
        int layers = WEIGHTS.config().numLayers();
        try (ModelBundle b = ModelBundle.load(int8, SessionSettings.defaults())) {
            SessionProfile p = SessionProfile.trace(b, 2, 7);
            assertThat(p.opCount("_MklQuantizedMatMulWithBiasAndDequantize"))
                    .as(p.opCounts().toString())
                    .isEqualTo(4 * layers);
            // The trace fetches the embedding: no float32 matmul is left before it.
            assertThat(p.fusedMatMuls() + p.plainMatMuls() + p.opCount("_MklMatMul"))
                    .as(p.opCounts().toString())
                    .isZero();
        }
    }

    @Test
    void manifestRecordsInt8AndTheBundleCannotBeRetrained() {
        assertThat(ModelBundle.readManifest(int8).precisionKind()).isEqualTo(Precision.INT8);
        assertThat(ModelBundle.readManifest(float32).precision()).isNull();
        try (ModelBundle b = ModelBundle.load(int8, SessionSettings.defaults())) {
            assertThatThrownBy(b::encoderWeights).hasMessageContaining("float32 source");
            assertThat(b.taskHeads().get(0).labels())
                    .containsExactly("negative", "neutral", "positive");
        }
    }

    private static float[] hidden(Path dir, int[] ids, int[] mask, int rows, int width) {
        Shape shape = Shape.of(rows, width);
        try (ModelBundle b = ModelBundle.load(dir, SessionSettings.defaults());
                TInt32 tIds = TInt32.tensorOf(shape, DataBuffers.of(ids, true, false));
                TInt32 tMask = TInt32.tensorOf(shape, DataBuffers.of(mask, true, false));
                TInt32 tTypes =
                        TInt32.tensorOf(shape, DataBuffers.of(new int[ids.length], true, false));
                Result r =
                        b.session()
                                .runner()
                                .feed(b.tensorName(SignatureNames.INPUT_IDS), tIds)
                                .feed(b.tensorName(SignatureNames.ATTENTION_MASK), tMask)
                                .feed(b.tensorName(SignatureNames.TOKEN_TYPE_IDS), tTypes)
                                .fetch(b.tensorName(SignatureNames.LAST_HIDDEN_STATE))
                                .run()) {
            TFloat32 t = (TFloat32) r.get(0);
            float[] out = new float[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(out, false, false));
            int hiddenSize = (int) t.shape().get(2);
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] == 0) {
                    java.util.Arrays.fill(out, i * hiddenSize, (i + 1) * hiddenSize, 0f);
                }
            }
            return out;
        }
    }
}
