package dev.bertstream.models.imports;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.inference.BatchPlanner;
import dev.bertstream.models.testutils.TestCorpus;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The imported encoder's last hidden state, run by TensorFlow from our SavedModel, against ONNX
 * Runtime running the original ONNX file, on the same token ids.
 */
class OnnxParityTest {

    static final Path PRETRAINED = Path.of("target", "pretrained");
    static final int MAX_LEN = 128;

    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(PretrainedEncoder.class)
    void lastHiddenStateMatchesOnnxRuntime(PretrainedEncoder encoder) throws Exception {
        PretrainedEncoder.Extracted files = encoder.resolve(PRETRAINED);
        ImportedEncoder imported =
                OnnxBertImporter.importFile(files.onnx(), files.tokenizerJson(), "test");
        Path bundleDir = tmp.resolve("bundle");
        BundleWriter.builder(imported.weights(), imported.tokenizerFile())
                .activation(Activation.fromHuggingFace(imported.activation()))
                .maxSeqLength(MAX_LEN)
                .write(bundleDir);
        List<String> corpus =
                encoder == PretrainedEncoder.BGE_SMALL_ZH
                        ? TestCorpus.chinese(110)
                        : TestCorpus.english(120);

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float maxDiff = 0;
        int comparedTexts = 0;
        try (ModelBundle bundle = ModelBundle.load(bundleDir, SessionSettings.defaults());
                BertTokenizer tok =
                        BertTokenizer.fromTokenizerJson(imported.tokenizerFile(), MAX_LEN);
                OrtSession ort =
                        env.createSession(
                                files.onnx().toString(), new OrtSession.SessionOptions())) {
            List<TokenizedText> encoded = tok.encodeBatch(corpus);
            int[] lengths = encoded.stream().mapToInt(TokenizedText::length).toArray();
            for (int[] batch : new BatchPlanner(16, 16 * MAX_LEN, true).plan(lengths)) {
                int width = 0;
                for (int i : batch) {
                    width = Math.max(width, lengths[i]);
                }
                int[][] inputs = pad(encoded, batch, width);
                float[] ours = runTensorFlow(bundle, inputs, batch.length, width);
                float[] ref = runOnnx(env, ort, inputs, batch.length, width);
                int hidden = imported.config().hiddenSize();
                for (int r = 0; r < batch.length; r++) {
                    for (int t = 0; t < lengths[batch[r]]; t++) {
                        for (int h = 0; h < hidden; h++) {
                            int at = (r * width + t) * hidden + h;
                            maxDiff = Math.max(maxDiff, Math.abs(ours[at] - ref[at]));
                        }
                    }
                    comparedTexts++;
                }
            }
        }
        System.out.printf(
                "parity %s: %d texts, max |TF - ORT| over real tokens = %.3g%n",
                encoder, comparedTexts, maxDiff);
        assertThat(comparedTexts).isGreaterThanOrEqualTo(100);
        assertThat(maxDiff).isLessThanOrEqualTo(1e-4f);
    }

    /** ids, mask, type ids, each flattened [rows × width]. */
    private static int[][] pad(List<TokenizedText> encoded, int[] batch, int width) {
        int[][] out = new int[3][batch.length * width];
        for (int r = 0; r < batch.length; r++) {
            TokenizedText t = encoded.get(batch[r]);
            System.arraycopy(t.inputIds(), 0, out[0], r * width, t.length());
            System.arraycopy(t.typeIds(), 0, out[2], r * width, t.length());
            java.util.Arrays.fill(out[1], r * width, r * width + t.length(), 1);
        }
        return out;
    }

    private static float[] runTensorFlow(ModelBundle bundle, int[][] in, int rows, int width) {
        Shape shape = Shape.of(rows, width);
        try (TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(in[0], true, false));
                TInt32 mask = TInt32.tensorOf(shape, DataBuffers.of(in[1], true, false));
                TInt32 types = TInt32.tensorOf(shape, DataBuffers.of(in[2], true, false));
                Result r =
                        bundle.session()
                                .runner()
                                .feed(bundle.tensorName(SignatureNames.INPUT_IDS), ids)
                                .feed(bundle.tensorName(SignatureNames.ATTENTION_MASK), mask)
                                .feed(bundle.tensorName(SignatureNames.TOKEN_TYPE_IDS), types)
                                .fetch(bundle.tensorName(SignatureNames.LAST_HIDDEN_STATE))
                                .run()) {
            TFloat32 out = (TFloat32) r.get(0);
            float[] flat = new float[(int) out.shape().size()];
            out.copyTo(DataBuffers.of(flat, false, false));
            return flat;
        }
    }

    private static float[] runOnnx(
            OrtEnvironment env, OrtSession ort, int[][] in, int rows, int width) throws Exception {
        long[] shape = {rows, width};
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(toLongs(in[0])), shape);
                OnnxTensor mask =
                        OnnxTensor.createTensor(env, LongBuffer.wrap(toLongs(in[1])), shape);
                OnnxTensor types =
                        OnnxTensor.createTensor(env, LongBuffer.wrap(toLongs(in[2])), shape);
                OrtSession.Result r =
                        ort.run(
                                Map.of(
                                        "input_ids",
                                        ids,
                                        "attention_mask",
                                        mask,
                                        "token_type_ids",
                                        types))) {
            OnnxTensor out = (OnnxTensor) r.get("last_hidden_state").orElseThrow();
            float[] flat = new float[out.getFloatBuffer().remaining()];
            out.getFloatBuffer().get(flat);
            return flat;
        }
    }

    private static long[] toLongs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
