package dev.bertstream.models.imports;

import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.SafetensorsWriter;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HfCheckpointImporterTest {

    @TempDir Path tmp;
    final BertWeights original = RandomBertWeights.create(RandomBertWeights.tinyConfig(), 3);

    @Test
    void f32CheckpointRoundTripsExactly() throws Exception {
        Path dir = writeCheckpoint(original, "F32", true);
        ImportedEncoder imported = HfCheckpointImporter.importDirectory(dir, tmp.resolve("work"));
        assertThat(imported.config()).isEqualTo(original.config());
        assertThat(imported.weights().tensors().keySet())
                .containsExactlyInAnyOrderElementsOf(original.tensors().keySet());
        original.tensors()
                .forEach(
                        (name, t) -> {
                            assertThat(imported.weights().get(name).shape())
                                    .as(name)
                                    .isEqualTo(t.shape());
                            assertThat(imported.weights().get(name).data())
                                    .as(name)
                                    .isEqualTo(t.data());
                        });
        assertThat(imported.activation()).isEqualTo("gelu");
    }

    @Test
    void halfPrecisionCheckpointsAreWidenedWithinRounding() throws Exception {
        for (String dtype : new String[] {"F16", "BF16"}) {
            Path dir = writeCheckpoint(original, dtype, false);
            ImportedEncoder imported =
                    HfCheckpointImporter.importDirectory(dir, tmp.resolve("work-" + dtype));
            float tolerance = dtype.equals("F16") ? 1e-3f : 1e-2f;
            original.tensors()
                    .forEach(
                            (name, t) -> {
                                float[] got = imported.weights().get(name).data();
                                for (int i = 0; i < got.length; i++) {
                                    assertThat(Math.abs(got[i] - t.data()[i]))
                                            .as("%s %s[%d]", dtype, name, i)
                                            .isLessThanOrEqualTo(
                                                    tolerance
                                                            * Math.max(1f, Math.abs(t.data()[i])));
                                }
                            });
        }
    }

    @Test
    void vocabOnlyCheckpointGetsAnEquivalentTokenizerJson() throws Exception {
        Path dir = writeCheckpoint(original, "F32", true);
        Files.delete(dir.resolve("tokenizer.json"));
        ImportedEncoder imported =
                HfCheckpointImporter.importDirectory(dir, tmp.resolve("work-vocab"));
        Path reference =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        try (BertTokenizer a = BertTokenizer.fromTokenizerJson(imported.tokenizerFile(), 64);
                BertTokenizer b = BertTokenizer.fromTokenizerJson(reference, 64)) {
            assertThat(a.encode("Héllo WORLD, où est mon colis?").inputIds())
                    .isEqualTo(b.encode("Héllo WORLD, où est mon colis?").inputIds());
        }
    }

    @Test
    void badCheckpointsFailNamingTheProblem() throws Exception {
        Path dir = writeCheckpoint(original, "F32", true);
        Map<String, WeightTensor> missing = pytorchNames(original);
        missing.remove("bert.encoder.layer.1.output.dense.weight");
        SafetensorsWriter.write(dir.resolve("model.safetensors"), missing, "F32");
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w1")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("encoder.layer.1.output.dense.kernel");

        Map<String, WeightTensor> wrongShape = pytorchNames(original);
        wrongShape.put(
                "bert.embeddings.LayerNorm.weight", new WeightTensor(new long[] {3}, new float[3]));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), wrongShape, "F32");
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w2")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("embeddings.LayerNorm.weight")
                .hasMessageContaining("shape");

        byte[] full =
                Files.readAllBytes(
                        writeCheckpoint(original, "F32", true).resolve("model.safetensors"));
        Files.write(
                dir.resolve("model.safetensors"), java.util.Arrays.copyOf(full, full.length / 2));
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w3")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");

        Files.write(
                dir.resolve("model.safetensors"),
                new byte[] {(byte) 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 1});
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w4")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("header length");

        Map<String, Object> bad =
                Map.of(
                        "x",
                        Map.of(
                                "dtype",
                                "I8",
                                "shape",
                                new int[] {1},
                                "data_offsets",
                                new int[] {0, 1}));
        byte[] json = new ObjectMapper().writeValueAsBytes(bad);
        java.nio.ByteBuffer buf =
                java.nio.ByteBuffer.allocate(8 + json.length + 1)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).put((byte) 1);
        Files.write(dir.resolve("model.safetensors"), buf.array());
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w5")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'x'")
                .hasMessageContaining("I8");

        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> HfCheckpointImporter.importDirectory(dir, tmp.resolve("w6")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("config.json is missing");
    }

    private Path writeCheckpoint(BertWeights w, String dtype, boolean withTokenizer)
            throws IOException {
        Path dir = Files.createTempDirectory(tmp, "ckpt");
        BertConfig c = w.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model_type", "bert");
        config.put("architectures", new String[] {"BertModel"});
        config.put("vocab_size", c.vocabSize());
        config.put("hidden_size", c.hiddenSize());
        config.put("num_hidden_layers", c.numLayers());
        config.put("num_attention_heads", c.numHeads());
        config.put("intermediate_size", c.intermediateSize());
        config.put("max_position_embeddings", c.maxPositions());
        config.put("type_vocab_size", c.typeVocabSize());
        config.put("layer_norm_eps", c.layerNormEps());
        config.put("hidden_act", "gelu");
        new ObjectMapper().writeValue(dir.resolve("config.json").toFile(), config);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), pytorchNames(w), dtype);
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        if (withTokenizer) {
            Files.copy(tokenizer, dir.resolve("tokenizer.json"));
        }
        // vocab.txt from the same tokenizer, in id order.
        var vocab = new ObjectMapper().readTree(tokenizer.toFile()).path("model").path("vocab");
        String[] tokens = new String[vocab.size()];
        vocab.fields().forEachRemaining(e -> tokens[e.getValue().asInt()] = e.getKey());
        Files.write(dir.resolve("vocab.txt"), java.util.Arrays.asList(tokens));
        return dir;
    }

    /**
     * PyTorch naming: {@code bert.} prefix, dense weights as {@code [out, in]} {@code .weight},
     * some old gamma/beta.
     */
    private static Map<String, WeightTensor> pytorchNames(BertWeights w) {
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        w.tensors()
                .forEach(
                        (name, t) -> {
                            String n = "bert." + name;
                            if (n.endsWith(".kernel")) {
                                out.put(
                                        n.substring(0, n.length() - ".kernel".length()) + ".weight",
                                        t.transpose2d());
                            } else if (n.equals("bert.embeddings.LayerNorm.weight")) {
                                out.put("bert.embeddings.LayerNorm.gamma", t);
                            } else {
                                out.put(n, t);
                            }
                        });
        out.put("cls.predictions.bias", new WeightTensor(new long[] {2}, new float[2]));
        return out;
    }
}
