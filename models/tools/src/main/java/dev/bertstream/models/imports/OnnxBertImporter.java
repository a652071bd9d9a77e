package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.imports.OnnxModelReader.OnnxGraph;
import dev.bertstream.models.imports.OnnxModelReader.OnnxNode;
import dev.bertstream.models.imports.OnnxModelReader.OnnxTensor;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Hugging Face ONNX export of a BERT encoder ({@code optimum}/{@code torch.onnx} style)
 * into canonical {@link BertWeights}.
 *
 * <p>Biases, embeddings and LayerNorm parameters keep their PyTorch names in the export, but the
 * dense weight matrices become anonymous {@code onnx::MatMul_N} initializers (already in {@code
 * x·W} orientation). Each is named after the bias its MatMul's output is added to. The head count,
 * activation and LayerNorm epsilon are not stored as such; they are read from the shape Q, K and V
 * are reshaped to, the ops after the intermediate dense layer ({@link OnnxGraphPatterns}) and the
 * constant added to the variance.
 */
public final class OnnxBertImporter {

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private OnnxBertImporter() {}

    /** Imports {@code onnxFile}; {@code tokenizerJson} is recorded as the encoder's tokenizer. */
    public static ImportedEncoder importFile(
            Path onnxFile, Path tokenizerJson, String sourceDescription) throws IOException {
        OnnxGraph g = OnnxModelReader.read(onnxFile);
        try {
            BertWeights weights = toWeights(g);
            Activation activation = new OnnxGraphPatterns(g).activation();
            return new ImportedEncoder(weights, tokenizerJson, activation.id(), sourceDescription);
        } catch (IllegalArgumentException e) {
            throw new IOException(
                    onnxFile
                            + " is not a BERT encoder export this importer understands: "
                            + e.getMessage(),
                    e);
        }
    }

    static BertWeights toWeights(OnnxGraph g) {
        Map<String, OnnxTensor> inits = g.initializers();
        Map<String, OnnxNode> producers = new HashMap<>();
        Map<String, OnnxNode> constants = new HashMap<>();
        Map<String, java.util.List<OnnxNode>> consumers = new HashMap<>();
        for (OnnxNode n : g.nodes()) {
            n.outputs().forEach(o -> producers.put(o, n));
            if (n.opType().equals("Constant") && n.valueAttr() != null) {
                n.outputs().forEach(o -> constants.put(o, n));
            }
            n.inputs()
                    .forEach(
                            i ->
                                    consumers
                                            .computeIfAbsent(i, k -> new java.util.ArrayList<>())
                                            .add(n));
        }

        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        for (OnnxTensor t : inits.values()) {
            String name = stripPrefix(t.name());
            if (t.dataType() == OnnxModelReader.FLOAT
                    && (name.startsWith("embeddings.") || name.startsWith("encoder."))) {
                tensors.put(name, new WeightTensor(t.dims(), t.floats()));
            }
        }
        for (OnnxNode n : g.nodes()) {
            if (!n.opType().equals("MatMul")
                    || n.inputs().size() != 2
                    || !inits.containsKey(n.inputs().get(1))) {
                continue;
            }
            OnnxTensor w = inits.get(n.inputs().get(1));
            String bias =
                    consumers.getOrDefault(n.outputs().get(0), List.of()).stream()
                            .filter(c -> c.opType().equals("Add"))
                            .flatMap(c -> c.inputs().stream())
                            .map(OnnxBertImporter::stripPrefix)
                            .filter(name -> name.endsWith(".bias") && tensors.containsKey(name))
                            .findFirst()
                            .orElse(null);
            if (bias != null) {
                String kernel = bias.substring(0, bias.length() - ".bias".length()) + ".kernel";
                tensors.put(kernel, new WeightTensor(w.dims(), w.floats()));
            }
        }

        WeightTensor words = require(tensors, "embeddings.word_embeddings.weight");
        WeightTensor positions = require(tensors, "embeddings.position_embeddings.weight");
        WeightTensor types = require(tensors, "embeddings.token_type_embeddings.weight");
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : tensors.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no encoder.layer.N tensors found");
        }
        int hidden = (int) words.dim(1);
        int heads = new OnnxGraphPatterns(g).headCount(hidden);
        BertConfig config =
                new BertConfig(
                        (int) words.dim(0),
                        hidden,
                        layers.last() + 1,
                        heads,
                        (int) require(tensors, "encoder.layer.0.intermediate.dense.kernel").dim(1),
                        (int) positions.dim(0),
                        (int) types.dim(0),
                        layerNormEps(g, constants, inits));
        tensors.keySet().removeIf(k -> k.endsWith("position_ids"));
        BertWeights weights = new BertWeights(config, tensors);
        BertWeightsValidator.validate(weights);
        return weights;
    }

    /** The constant added to the variance before its square root in the first LayerNorm. */
    private static double layerNormEps(
            OnnxGraph g, Map<String, OnnxNode> constants, Map<String, OnnxTensor> inits) {
        Map<String, OnnxNode> producers = new HashMap<>();
        g.nodes().forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        for (OnnxNode n : g.nodes()) {
            if (!n.opType().equals("Add") || n.inputs().size() != 2) {
                continue;
            }
            OnnxNode lhs = producers.get(n.inputs().get(0));
            Float eps = scalar(n.inputs().get(1), constants, inits);
            if (lhs != null
                    && lhs.opType().equals("ReduceMean")
                    && eps != null
                    && eps > 0
                    && eps < 1e-3) {
                return eps;
            }
        }
        throw new IllegalArgumentException(
                "cannot find the LayerNorm epsilon (Add of a constant to ReduceMean)");
    }

    private static Float scalar(
            String name, Map<String, OnnxNode> constants, Map<String, OnnxTensor> inits) {
        OnnxTensor t =
                constants.containsKey(name) ? constants.get(name).valueAttr() : inits.get(name);
        return t != null && t.floats() != null && t.floats().length == 1 ? t.floats()[0] : null;
    }

    private static WeightTensor require(Map<String, WeightTensor> tensors, String name) {
        WeightTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("tensor '" + name + "' not found");
        }
        return t;
    }

    /** Drops a {@code bert.} model prefix, which some exports keep. */
    static String stripPrefix(String name) {
        return name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    }
}
