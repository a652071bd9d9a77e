package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.inference.SessionProfile;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused encoder graph (packed Q/K/V, {@code MatMul + BiasAdd}, GELU and LayerNorm in the
 * remapper's forms) against the graph bundles had before: same outputs, fused kernels in the graph
 * TensorFlow actually runs, and the canonical weights read back out.
 */
class FusedGraphTest {

    @TempDir static Path tmp;
    static final BertWeights WEIGHTS = RandomBertWeights.create(RandomBertWeights.tinyConfig(), 11);
    static Path legacy;
    static Path fused;
    static Path fusedLayerNorm;

    @BeforeAll
    static void writeBundles() throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        legacy = tmp.resolve("legacy");
        fused = tmp.resolve("fused");
        fusedLayerNorm = tmp.resolve("fused-ln");
        BundleWriter.builder(WEIGHTS, tokenizer).fusedGraph(false).write(legacy);
        BundleWriter.builder(WEIGHTS, tokenizer).fusedLayerNorm(false).write(fused);
        BundleWriter.builder(WEIGHTS, tokenizer).fusedLayerNorm(true).write(fusedLayerNorm);
    }

    @Test
    void fusedGraphsComputeTheLegacyHiddenStatesWithin1e5() {
        int rows = 5;
        int width = 13;
        Random r = new Random(3);
        int[] ids = new int[rows * width];
        int[] mask = new int[rows * width];
        for (int i = 0; i < rows; i++) {
            int len = 2 + r.nextInt(width - 1);
            for (int t = 0; t < len; t++) {
                ids[i * width + t] = 100 + r.nextInt(20000);
                mask[i * width + t] = 1;
            }
        }
        float[] expected = hidden(legacy, ids, mask, rows, width);
        for (Path bundle : new Path[] {fused, fusedLayerNorm}) {
            float[] actual = hidden(bundle, ids, mask, rows, width);
            float maxDiff = 0;
            for (int i = 0; i < expected.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            }
            assertThat(maxDiff).as(bundle.getFileName().toString()).isLessThanOrEqualTo(1e-5f);
        }
    }

    @Test
    void optimisedGraphRunsEveryEncoderDenseLayerAsOneFusedKernel() {
        int layers = WEIGHTS.config().numLayers();
        try (ModelBundle b = ModelBundle.load(legacy, SessionSettings.defaults())) {
            SessionProfile p = SessionProfile.trace(b, 2, 7);
            // Plain Add after MatMul fuses only under oneDNN; Q, K and V stay three matmuls.
            assertThat(p.fusedMatMuls() + p.plainMatMuls()).isEqualTo(6 * layers);
        }
        try (ModelBundle b = ModelBundle.load(fused, SessionSettings.defaults())) {
            SessionProfile p = SessionProfile.trace(b, 2, 7);
            assertThat(p.fusedMatMuls()).as(p.opCounts().toString()).isEqualTo(4 * layers);
            assertThat(p.plainMatMuls()).as(p.opCounts().toString()).isZero();
            if (OneDnnSupport.enabled()) {
                // GELU folds into the intermediate matmul.
                assertThat(p.opCount("Erf")).as(p.opCounts().toString()).isZero();
            }
        }
        try (ModelBundle b = ModelBundle.load(fusedLayerNorm, SessionSettings.defaults())) {
            SessionProfile p = SessionProfile.trace(b, 2, 7);
            if (OneDnnSupport.enabled()) {
                assertThat(p.opCount("_MklLayerNorm"))
                        .as(p.opCounts().toString())
                        .isEqualTo(2 * layers + 1);
                assertThat(p.opCount("Rsqrt")).isZero();
            } else {
                assertThat(p.opCount("FusedBatchNormV3"))
                        .as(p.opCounts().toString())
                        .isEqualTo(2 * layers + 1);
            }
        }
    }

    @Test
    void fusedBundleReadsBackTheCanonicalQueryKeyValueWeights() {
        try (ModelBundle b = ModelBundle.load(fused, SessionSettings.defaults())) {
            BertWeights back = b.encoderWeights();
            assertThat(back.tensors().keySet())
                    .containsExactlyElementsOf(BertWeights.canonicalNames(WEIGHTS.config()));
            for (String name : BertWeights.canonicalNames(WEIGHTS.config())) {
                WeightTensor want = WEIGHTS.get(name);
                assertThat(back.get(name).shape()).as(name).isEqualTo(want.shape());
                assertThat(back.get(name).data()).as(name).isEqualTo(want.data());
            }
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
            // Padded positions are not defined by BERT; zero them so only real tokens compare.
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
