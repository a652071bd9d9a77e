package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.weights.BertWeights;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleWriterTest {

    @TempDir static Path tmp;
    static Path bundleDir;
    static BertWeights weights = RandomBertWeights.create(RandomBertWeights.tinyConfig(), 7);

    @BeforeAll
    static void writeBundle() throws Exception {
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        List<TaskHead> heads =
                List.of(
                        RandomBertWeights.head(
                                "sentiment", List.of("negative", "neutral", "positive"), 32, 1),
                        RandomBertWeights.head("toxicity", List.of("not_toxic", "toxic"), 32, 2));
        bundleDir = tmp.resolve("bundle");
        BundleWriter.builder(weights, tokenizer)
                .name("tiny")
                .version("7")
                .pooling(Pooling.MEAN)
                .maxSeqLength(64)
                .heads(heads)
                .write(bundleDir);
    }

    @Test
    void manifestRecordsEachHeadsActivationAndOldManifestsMeanSoftmax() throws Exception {
        BundleManifest m = ModelBundle.readManifest(bundleDir);
        assertThat(m.tasks()).allSatisfy(t -> assertThat(t.activation()).isEqualTo("softmax"));
        // A bundle.json task written before heads could be sigmoid has no activation field.
        BundleManifest.Task old =
                ModelBundle.MAPPER.readValue(
                        "{\"name\":\"toxicity\",\"labels\":[\"no\",\"yes\"]}",
                        BundleManifest.Task.class);
        assertThat(old.headActivation()).isEqualTo(HeadActivation.SOFTMAX);
    }

    @Test
    void savedModelLoadsWithTheStandardLoaderAndServesEveryOutput() {
        try (SavedModelBundle b =
                SavedModelBundle.loader(bundleDir.resolve("saved_model").toString())
                        .withTags("serve")
                        .load()) {
            assertThat(b.signatures().get(0).inputNames())
                    .containsExactlyInAnyOrder("input_ids", "attention_mask", "token_type_ids");
            assertThat(b.signatures().get(0).outputNames())
                    .contains(
                            "embedding",
                            "last_hidden_state",
                            "sentiment_probabilities",
                            "toxicity_probabilities");
            int[][] ids = {{101, 7592, 2088, 102}, {101, 7592, 102, 0}};
            int[][] mask = {{1, 1, 1, 1}, {1, 1, 1, 0}};
            try (TInt32 idT = TInt32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(ids));
                    TInt32 maskT =
                            TInt32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(mask));
                    TInt32 typeT =
                            TInt32.tensorOf(
                                    org.tensorflow.ndarray.StdArrays.ndCopyOf(new int[2][4]));
                    Result r =
                            b.call(
                                    java.util.Map.of(
                                            "input_ids",
                                            idT,
                                            "attention_mask",
                                            maskT,
                                            "token_type_ids",
                                            typeT))) {
                TFloat32 probs =
                        (TFloat32) r.get(SignatureNames.probabilities("sentiment")).orElseThrow();
                assertThat(probs.shape()).isEqualTo(Shape.of(2, 3));
                for (int row = 0; row < 2; row++) {
                    float sum = 0;
                    for (int c = 0; c < 3; c++) {
                        sum += probs.getFloat(row, c);
                    }
                    assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
                }
                Tensor emb = r.get("embedding").orElseThrow();
                assertThat(emb.shape()).isEqualTo(Shape.of(2, 32));
            }
        }
    }

    @Test
    void manifestRecordsTasksAndChecksums() {
        BundleManifest m = ModelBundle.readManifest(bundleDir);
        assertThat(m.name()).isEqualTo("tiny");
        assertThat(m.version()).isEqualTo("7");
        assertThat(m.tasks())
                .extracting(BundleManifest.Task::name)
                .containsExactly("sentiment", "toxicity");
        assertThat(m.files()).containsKeys("tokenizer.json", "saved_model/saved_model.pb");
        assertThat(m.files().keySet()).anyMatch(k -> k.startsWith("saved_model/variables/"));
    }

    @Test
    void modifiedFileIsRefusedWithItsName() throws Exception {
        Path copy = copyBundle("modified");
        Files.writeString(copy.resolve("tokenizer.json"), " ", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("modified");
    }

    @Test
    void missingFileIsRefusedWithItsName() throws Exception {
        Path copy = copyBundle("incomplete");
        Path variablesIndex = copy.resolve("saved_model/variables/variables.index");
        Files.delete(variablesIndex);
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("saved_model/variables/variables.index")
                .hasMessageContaining("missing");
    }

    @Test
    void missingManifestSaysSo() throws Exception {
        Path copy = copyBundle("nomanifest");
        Files.delete(copy.resolve(ModelBundle.MANIFEST));
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("bundle.json is missing");
    }

    private static Path copyBundle(String name) throws Exception {
        Path target = tmp.resolve(name);
        try (var paths = Files.walk(bundleDir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = target.resolve(bundleDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }
}
