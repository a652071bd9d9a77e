package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.testutils.ParityFixture;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dispatch on config.json's model_type, and what the importer keeps beyond the encoder. */
class CheckpointArchitectureTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void unknownModelTypeIsRefusedNamingItAndTheSupportedOnes() throws Exception {
        Path dir = copyWithConfig("bert", c -> c.put("model_type", "gpt2"));
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'gpt2'")
                .hasMessageContaining("bert, distilbert, roberta, xlm-roberta, modernbert");
    }

    @Test
    void modernBertPackedProjectionsAreSplitAndMissingBiasesAreZero() throws Exception {
        ImportedEncoder e = importFixture("modernbert");
        assertThat(e.config().isModernBert()).isTrue();
        assertThat(e.config().rotary().isGlobal(0)).isTrue();
        assertThat(e.config().rotary().isGlobal(1)).isFalse();
        assertThat(e.weights().tensors().keySet())
                .containsExactlyInAnyOrderElementsOf(
                        dev.bertstream.models.weights.BertWeights.canonicalNames(e.config()));
        WeightTensor wqkv =
                SafetensorsReader.read(
                                ParityFixture.ROOT
                                        .resolve("modernbert")
                                        .resolve("model.safetensors"))
                        .get("model.layers.1.attn.Wqkv.weight");
        // Key kernel column c, row r is Wqkv row hidden + c, column r.
        WeightTensor key = e.weights().get("encoder.layer.1.attention.self.key.kernel");
        int h = e.config().hiddenSize();
        assertThat(key.data()[3 * h + 5]).isEqualTo(wqkv.data()[(h + 5) * h + 3]);
        assertThat(e.weights().get("encoder.layer.1.attention.self.key.bias").data())
                .containsOnly(0f);
    }

    @Test
    void modernBertClassifierKeepsItsNormedHeadAndMeanPooling() throws Exception {
        ImportedEncoder e = importFixture("modernbert");
        TaskHead h = e.heads().get(0);
        assertThat(h.labels()).containsExactly("billing", "shipping", "other");
        assertThat(h.hiddenLayer().hasNorm()).isTrue();
        assertThat(h.hiddenLayer().activation()).isEqualTo(Activation.GELU);
        assertThat(e.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(e.warnings()).isEmpty();
    }

    @Test
    void architecturesDecideWhenModelTypeIsAbsentAndNeitherIsRefused() throws Exception {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("XLMRobertaForSequenceClassification");
        assertThat(CheckpointArchitecture.of(c)).isEqualTo(CheckpointArchitecture.XLM_ROBERTA);
        c.putArray("architectures").add("DistilBertModel");
        assertThat(CheckpointArchitecture.of(c)).isEqualTo(CheckpointArchitecture.DISTILBERT);
        assertThatThrownBy(() -> CheckpointArchitecture.of(JSON.createObjectNode()))
                .hasMessageContaining("neither model_type nor architectures");
    }

    @Test
    void bertClassifierImportsPoolerAndLabelsAsASoftmaxHead() throws Exception {
        ImportedEncoder e = importFixture("bert");
        assertThat(e.heads()).hasSize(1);
        TaskHead h = e.heads().get(0);
        assertThat(h.labels()).containsExactly("negative", "neutral", "positive");
        assertThat(h.activation()).isEqualTo(HeadActivation.SOFTMAX);
        assertThat(h.hiddenLayer().activation()).isEqualTo(Activation.TANH);
        assertThat(e.pooling()).isEqualTo(Pooling.CLS);
        assertThat(e.warnings()).isEmpty();
    }

    @Test
    void multiLabelRobertaClassifierImportsAsASigmoidHead() throws Exception {
        ImportedEncoder e = importFixture("xlm-roberta");
        TaskHead h = e.heads().get(0);
        assertThat(h.labels()).containsExactly("insult", "threat", "obscene", "spam");
        assertThat(h.activation()).isEqualTo(HeadActivation.SIGMOID);
        assertThat(h.hiddenLayer().activation()).isEqualTo(Activation.TANH);
        assertThat(e.config().positionPaddingIdx()).isEqualTo(1);
        assertThat(e.config().typeVocabSize()).isEqualTo(1);
        assertThat(e.config().maxSequenceLength()).isEqualTo(e.config().maxPositions() - 2);
    }

    @Test
    void distilbertMapsOntoTheEncoderWithoutTokenTypesAndItsReluPreClassifier() throws Exception {
        ImportedEncoder e = importFixture("distilbert");
        assertThat(e.config().hasTokenTypes()).isFalse();
        assertThat(e.weights().tensors())
                .doesNotContainKey("embeddings.token_type_embeddings.weight");
        assertThat(e.activation()).isEqualTo("relu");
        assertThat(e.heads().get(0).hiddenLayer().activation()).isEqualTo(Activation.RELU);
        assertThat(e.heads().get(0).labels()).containsExactly("clean", "toxic");
    }

    @Test
    void distilbertSinusoidalPositionsAreComputedWhenTheCheckpointOmitsThem() throws Exception {
        WeightTensor stored =
                importFixture("distilbert").weights().get("embeddings.position_embeddings.weight");
        WeightTensor computed = SinusoidalPositions.table((int) stored.dim(0), (int) stored.dim(1));
        for (int i = 0; i < stored.data().length; i++) {
            assertThat(Math.abs(computed.data()[i] - stored.data()[i])).isLessThan(1e-6f);
        }
    }

    @Test
    void unusedTensorsAreNamedInAWarning() throws Exception {
        Path dir = copyWithConfig("roberta", c -> {});
        // A masked-LM head tensor, which neither the encoder nor a classifier uses.
        var tensors = SafetensorsReader.read(dir.resolve("model.safetensors"));
        var extended = new java.util.LinkedHashMap<>(tensors);
        extended.put("lm_head.bias", new WeightTensor(new long[] {100}, new float[100]));
        dev.bertstream.models.testutils.SafetensorsWriter.write(
                dir.resolve("model.safetensors"), extended, "F32");
        ImportedEncoder e = HfCheckpointImporter.importDirectory(dir, tmp.resolve("w"));
        assertThat(e.heads()).isEmpty();
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("lm_head.bias"));
    }

    @Test
    void sentenceTransformersPoolingConfigSetsThePooling() throws Exception {
        Path dir = copyWithConfig("roberta", c -> {});
        Files.createDirectories(dir.resolve("1_Pooling"));
        for (String[] mode :
                new String[][] {
                    {"pooling_mode_cls_token", "cls"},
                    {"pooling_mode_max_tokens", "max"},
                    {"pooling_mode_mean_tokens", "mean"}
                }) {
            ObjectNode p = JSON.createObjectNode();
            p.put("word_embedding_dimension", 32);
            Stream.of(
                            "pooling_mode_cls_token",
                            "pooling_mode_mean_tokens",
                            "pooling_mode_max_tokens")
                    .forEach(k -> p.put(k, k.equals(mode[0])));
            JSON.writeValue(dir.resolve("1_Pooling/config.json").toFile(), p);
            ImportedEncoder e = HfCheckpointImporter.importDirectory(dir, tmp.resolve("w"));
            assertThat(e.pooling()).as(mode[0]).isEqualTo(Pooling.parse(mode[1]));
        }
        assertThat(
                        HfCheckpointImporter.importDirectory(
                                        ParityFixture.ROOT.resolve("roberta"), tmp.resolve("w2"))
                                .pooling())
                .as("no sentence-transformers config")
                .isNull();
    }

    private ImportedEncoder importFixture(String arch) throws IOException {
        return HfCheckpointImporter.importDirectory(
                ParityFixture.ROOT.resolve(arch), tmp.resolve("work-" + arch));
    }

    private Path copyWithConfig(String arch, java.util.function.Consumer<ObjectNode> edit)
            throws IOException {
        Path src = ParityFixture.ROOT.resolve(arch);
        Path dir = Files.createTempDirectory(tmp, arch);
        for (String f : new String[] {"model.safetensors", "vocab.txt"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        ObjectNode config = (ObjectNode) JSON.readTree(src.resolve("config.json").toFile());
        edit.accept(config);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }
}
