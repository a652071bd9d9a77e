package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face checkpoint directory ({@code config.json}, {@code model.safetensors}, and
 * {@code tokenizer.json} or {@code vocab.txt}) into canonical {@link BertWeights}, dispatching on
 * {@code config.json}'s {@code model_type} ({@link CheckpointArchitecture}): drops the family's
 * prefix ({@code bert.}, {@code roberta.}, {@code distilbert.}), renames DistilBERT's tensors,
 * accepts old {@code gamma}/{@code beta} LayerNorm names, and transposes PyTorch's {@code [out,
 * in]} dense weights into {@code [in, out]} kernels. A {@code *ForSequenceClassification} head
 * becomes a {@link TaskHead}; a sentence-transformers pooling config sets the pooling; every tensor
 * left unused is named in a warning.
 */
public final class HfCheckpointImporter {

    /** The task name an imported classification head gets. */
    public static final String DEFAULT_TASK = "classifier";

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
        CheckpointArchitecture arch;
        BertConfig config;
        Activation activation;
        try {
            arch = CheckpointArchitecture.of(cfg);
            config = arch.config(cfg);
            activation = arch.activation(cfg);
        } catch (IllegalArgumentException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }

        List<String> warnings = new ArrayList<>();
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        Map<String, WeightTensor> rest = new LinkedHashMap<>();
        for (Map.Entry<String, WeightTensor> e : SafetensorsReader.read(weightsFile).entrySet()) {
            String unprefixed = arch.stripPrefix(e.getKey());
            String name = canonicalName(arch, unprefixed);
            if (name == null) {
                rest.put(unprefixed, e.getValue());
                continue;
            }
            if (name.isEmpty()) {
                continue;
            }
            WeightTensor t = e.getValue();
            if (name.endsWith(".kernel")) {
                t = t.transpose2d();
            }
            tensors.put(name, t);
        }
        if (arch == CheckpointArchitecture.MODERNBERT) {
            try {
                ModernBertLayout.complete(tensors, config);
            } catch (IllegalArgumentException e) {
                throw new IOException(weightsFile + ": " + e.getMessage(), e);
            }
        }
        if (arch == CheckpointArchitecture.DISTILBERT
                && !tensors.containsKey("embeddings.position_embeddings.weight")
                && cfg.path("sinusoidal_pos_embds").asBoolean(false)) {
            tensors.put(
                    "embeddings.position_embeddings.weight",
                    SinusoidalPositions.table(config.maxPositions(), config.hiddenSize()));
        }
        BertWeights weights = new BertWeights(config, tensors);
        ClassifierHeadImporter.Result head;
        try {
            BertWeightsValidator.validate(weights);
            head = ClassifierHeadImporter.read(arch, cfg, rest, DEFAULT_TASK);
        } catch (IllegalArgumentException e) {
            throw new IOException(weightsFile + ": " + e.getMessage(), e);
        }
        warnings.addAll(head.warnings());
        head.used().forEach(rest::remove);
        if (!rest.isEmpty()) {
            warnings.add(
                    "Ignored "
                            + rest.size()
                            + " tensor(s) that neither the "
                            + arch.modelType()
                            + " encoder nor a classification head uses: "
                            + abbreviate(rest.keySet()));
        }

        SentenceTransformersPooling.Result st = SentenceTransformersPooling.read(dir);
        warnings.addAll(st.warnings());
        Pooling pooling = st.pooling();
        List<TaskHead> heads = head.head() == null ? List.of() : List.of(head.head());
        if (!heads.isEmpty()) {
            // The head reads the embedding it was trained on: the first token's hidden state, or
            // for a ModernBERT classifier its classifier_pooling.
            if (pooling != null && pooling != head.pooling()) {
                warnings.add(
                        "The sentence-transformers pooling is "
                                + pooling.id()
                                + " but the classification head reads "
                                + head.pooling().id()
                                + ": using "
                                + head.pooling().id());
            }
            pooling = head.pooling();
        }
        return new ImportedEncoder(
                weights,
                tokenizerFile(dir, cfg, workDir),
                activation.id(),
                "checkpoint:" + dir.toAbsolutePath() + " (" + arch.modelType() + ")",
                heads,
                pooling,
                warnings);
    }

    /**
     * The canonical name of an unprefixed tensor name of {@code arch}, {@code ""} for buffers that
     * carry no weights ({@code position_ids}), or {@code null} for tensors the encoder does not
     * use.
     */
    static String canonicalName(CheckpointArchitecture arch, String unprefixed) {
        if (unprefixed.endsWith("position_ids") && unprefixed.startsWith("embeddings.")) {
            return ""; // a registered arange buffer, recomputed by the graph
        }
        String n = arch.encoderName(unprefixed);
        if (n == null) {
            return null;
        }
        n =
                n.replace("LayerNorm.gamma", "LayerNorm.weight")
                        .replace("LayerNorm.beta", "LayerNorm.bias");
        boolean norm = n.contains("LayerNorm") || n.contains("_norm.");
        boolean dense = n.endsWith(".weight") && !norm && !n.startsWith("embeddings.");
        return dense ? n.substring(0, n.length() - ".weight".length()) + ".kernel" : n;
    }

    private static String abbreviate(java.util.Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        int shown = Math.min(list.size(), 8);
        String head = String.join(", ", list.subList(0, shown));
        return shown < list.size() ? head + ", ... (" + (list.size() - shown) + " more)" : head;
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
