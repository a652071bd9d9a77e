package dev.bertstream.models.imports;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.testutils.ParityFixture;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each architecture's tiny random checkpoint, imported through {@link HfCheckpointImporter} and
 * written as a bundle, against the hidden states and logits a PyTorch re-implementation of Hugging
 * Face's modelling code computed for it ({@code src/test/scripts/make_parity_fixtures.py}). The
 * RoBERTa fixture has no {@code roberta.} prefix, so only {@code model_type} gives it RoBERTa's
 * position ids; the inputs are padded, so the masked position ids are exercised too.
 */
class CheckpointParityTest {

    static final float TOLERANCE = 1e-4f;

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"bert", "distilbert", "roberta", "xlm-roberta", "modernbert"})
    void hiddenStatesAndLogitsMatchTheReference(String arch) throws Exception {
        ParityFixture f = ParityFixture.read(arch);
        ImportedEncoder imported = HfCheckpointImporter.importDirectory(f.dir(), tmp.resolve("w"));
        Path bundleDir = tmp.resolve("bundle");
        BundleWriter.builder(imported.weights(), imported.tokenizerFile())
                .activation(Activation.fromHuggingFace(imported.activation()))
                .pooling(imported.pooling() == null ? Pooling.MEAN : imported.pooling())
                .heads(imported.heads())
                .maxSeqLength(f.width())
                .write(bundleDir);
        assertThat(imported.heads()).hasSize(f.logits() == null ? 0 : 1);

        List<String> fetches = new ArrayList<>(List.of(SignatureNames.LAST_HIDDEN_STATE));
        imported.heads().forEach(h -> fetches.add(SignatureNames.logits(h.name())));
        float hiddenDiff;
        float logitsDiff = 0;
        try (ModelBundle bundle = ModelBundle.load(bundleDir, SessionSettings.defaults())) {
            List<float[]> out = run(bundle, f, fetches);
            hiddenDiff = maxAbsDiff(out.get(0), f.lastHiddenState());
            if (f.logits() != null) {
                logitsDiff = maxAbsDiff(out.get(1), f.logits());
            }
        }
        System.out.printf(
                "parity %s: max |TF - PyTorch| hidden states %.3g, logits %.3g%n",
                arch, hiddenDiff, logitsDiff);
        assertThat(hiddenDiff).as("hidden states").isLessThanOrEqualTo(TOLERANCE);
        assertThat(logitsDiff).as("logits").isLessThanOrEqualTo(TOLERANCE);
    }

    static List<float[]> run(ModelBundle bundle, ParityFixture f, List<String> fetches) {
        Shape shape = Shape.of(f.rows(), f.width());
        try (TInt32 ids = TInt32.tensorOf(shape, DataBuffers.of(f.inputIds(), true, false));
                TInt32 mask = TInt32.tensorOf(shape, DataBuffers.of(f.mask(), true, false));
                TInt32 types = TInt32.tensorOf(shape, DataBuffers.of(f.typeIds(), true, false))) {
            Session.Runner runner =
                    bundle.session()
                            .runner()
                            .feed(bundle.tensorName(SignatureNames.INPUT_IDS), ids)
                            .feed(bundle.tensorName(SignatureNames.ATTENTION_MASK), mask)
                            .feed(bundle.tensorName(SignatureNames.TOKEN_TYPE_IDS), types);
            fetches.forEach(name -> runner.fetch(bundle.tensorName(name)));
            try (Result r = runner.run()) {
                List<float[]> out = new ArrayList<>();
                for (int i = 0; i < fetches.size(); i++) {
                    TFloat32 t = (TFloat32) r.get(i);
                    float[] flat = new float[(int) t.shape().size()];
                    t.copyTo(DataBuffers.of(flat, false, false));
                    out.add(flat);
                }
                return out;
            }
        }
    }

    static float maxAbsDiff(float[] ours, float[] reference) {
        assertThat(ours).hasSameSizeAs(reference);
        float max = 0;
        for (int i = 0; i < ours.length; i++) {
            max = Math.max(max, Math.abs(ours[i] - reference[i]));
        }
        return max;
    }
}
