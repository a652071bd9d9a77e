package dev.bertstream.models.imports;

import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Hugging Face checkpoint directory ({@code config.json}, {@code model.safetensors}, and
 * {@code tokenizer.json} or {@code vocab.txt}) into canonical {@link BertWeights}: drops the {@code
 * bert.} prefix, accepts old {@code gamma}/{@code beta} LayerNorm names, and transposes PyTorch's
 * {@code [out, in]} dense weights into {@code [in, out]} kernels.
 */
final class HfCheckpointImporter {

    private HfCheckpointImporter() {}

    /**
     * Imports the checkpoint in {@code dir}. When it has only a {@code vocab.txt}, the equivalent
     * {@code tokenizer.json} is written to {@code workDir}.
     */
    public static ImportedEncoder importDirectory(Path dir, Path workDir) throws IOException {
        Path configFile = dir.resolve("config.json");
        Path weightsFile = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(
                    dir + " is not a Hugging Face checkpoint: config.json is missing");
        }
        if (!Files.isRegularFile(weightsFile)) {
            throw new IOException(
                    dir
                            + " has no model.safetensors (PyTorch .bin checkpoints are not supported; "
                            + "convert them with safetensors first)");
        }
        JsonNode cfg = new ObjectMapper().readTree(configFile.toFile());
        BertConfig config;
        try {
            config =
                    new ObjectMapper()
                            .configure(
                                    com.fasterxml.jackson.databind.DeserializationFeature
                                            .FAIL_ON_UNKNOWN_PROPERTIES,
                                    false)
                            .treeToValue(cfg, BertConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }
        String activation = cfg.path("hidden_act").asText("gelu");
        dev.bertstream.models.graph.Activation.fromHuggingFace(activation);

        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, WeightTensor> e : SafetensorsReader.read(weightsFile).entrySet()) {
            String name = canonicalName(e.getKey());
            if (name == null) {
                continue;
            }
            WeightTensor t = e.getValue();
            if (name.endsWith(".kernel")) {
                t = t.transpose2d();
            }
            tensors.put(name, t);
        }
        BertWeights weights = new BertWeights(config, tensors);
        try {
            BertWeightsValidator.validate(weights);
        } catch (IllegalArgumentException e) {
            throw new IOException(weightsFile + ": " + e.getMessage(), e);
        }
        return new ImportedEncoder(
                weights,
                tokenizerFile(dir, cfg, workDir),
                activation,
                "checkpoint:" + dir.toAbsolutePath());
    }

    /**
     * The canonical name of a PyTorch tensor name, or {@code null} for tensors the encoder does not
     * use.
     */
    static String canonicalName(String name) {
        String n = OnnxBertImporter.stripPrefix(name);
        if (!(n.startsWith("embeddings.") || n.startsWith("encoder."))) {
            return null;
        }
        if (n.endsWith("position_ids")) {
            return null;
        }
        n =
                n.replace("LayerNorm.gamma", "LayerNorm.weight")
                        .replace("LayerNorm.beta", "LayerNorm.bias");
        boolean dense =
                n.endsWith(".weight") && !n.contains("LayerNorm") && !n.startsWith("embeddings.");
        return dense ? n.substring(0, n.length() - ".weight".length()) + ".kernel" : n;
    }

    private static Path tokenizerFile(Path dir, JsonNode cfg, Path workDir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(json)) {
            return json;
        }
        Path vocab = dir.resolve("vocab.txt");
        if (!Files.isRegularFile(vocab)) {
            throw new IOException(dir + " has neither tokenizer.json nor vocab.txt");
        }
        boolean lowercase = readLowercase(dir, cfg);
        Files.createDirectories(workDir);
        Path out = workDir.resolve("tokenizer.json");
        try (BertTokenizer tok = BertTokenizer.fromVocab(vocab, lowercase, null, 512)) {
            tok.save(out);
        }
        return out;
    }

    /**
     * {@code do_lower_case} from tokenizer_config.json, defaulting to uncased as BERT's tokenizer
     * does.
     */
    private static boolean readLowercase(Path dir, JsonNode cfg) throws IOException {
        Path tc = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(tc)) {
            JsonNode node = new ObjectMapper().readTree(tc.toFile()).path("do_lower_case");
            if (!node.isMissingNode()) {
                return node.asBoolean();
            }
        }
        return cfg.path("do_lower_case").asBoolean(true);
    }
}
