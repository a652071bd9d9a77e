package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.imports.OnnxModelReader.OnnxGraph;
import dev.bertstream.models.imports.OnnxModelReader.OnnxNode;
import dev.bertstream.models.imports.OnnxModelReader.OnnxTensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads hyper-parameters an ONNX export does not store as such from the shape of its graph: the
 * feed-forward activation from the ops between the first intermediate dense layer and the next
 * MatMul, and the head count from the shape attention reshapes Q, K and V to.
 */
final class OnnxGraphPatterns {

    /** How far past the intermediate bias the activation is looked for (tanh GELU has ~8 ops). */
    private static final int MAX_ACTIVATION_OPS = 16;

    private final OnnxGraph graph;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    OnnxGraphPatterns(OnnxGraph graph) {
        this.graph = graph;
        for (OnnxNode n : graph.nodes()) {
            n.outputs().forEach(o -> producers.put(o, n));
            n.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
        }
    }

    /**
     * The activation after {@code encoder.layer.0.intermediate.dense}: an {@code Erf} (or a fused
     * {@code Gelu}) is exact GELU, a {@code Tanh} (or {@code FastGelu}) its tanh approximation, a
     * {@code Relu} ReLU.
     */
    Activation activation() {
        OnnxNode biasAdd = null;
        for (OnnxNode n : graph.nodes()) {
            if (n.opType().equals("Add")
                    && n.inputs().stream()
                            .map(OnnxBertImporter::stripPrefix)
                            .anyMatch(i -> i.equals("encoder.layer.0.intermediate.dense.bias"))) {
                biasAdd = n;
                break;
            }
        }
        if (biasAdd == null) {
            throw new IllegalArgumentException(
                    "cannot find the Add of encoder.layer.0.intermediate.dense.bias");
        }
        // Breadth-first from the biased output to the next MatMul (the output dense layer).
        Set<String> ops = new TreeSet<>();
        Deque<OnnxNode> queue = new ArrayDeque<>(consumersOf(biasAdd));
        Set<OnnxNode> seen = new HashSet<>(queue);
        while (!queue.isEmpty() && seen.size() <= MAX_ACTIVATION_OPS) {
            OnnxNode n = queue.poll();
            if (n.opType().equals("MatMul")) {
                continue;
            }
            ops.add(n.opType());
            for (OnnxNode next : consumersOf(n)) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        if (ops.contains("Erf") || ops.contains("Gelu") || ops.contains("BiasGelu")) {
            return Activation.GELU;
        }
        if (ops.contains("Tanh") || ops.contains("FastGelu")) {
            return Activation.GELU_TANH;
        }
        if (ops.contains("Relu")) {
            return Activation.RELU;
        }
        throw new IllegalArgumentException(
                "cannot recognise the feed-forward activation from the ops " + ops);
    }

    /**
     * The head count from a {@code Reshape} of Q, K or V to {@code [batch, seq, heads, headSize]}:
     * the last two entries of its shape are constants whose product is the hidden size.
     */
    int headCount(int hidden) {
        for (OnnxNode n : graph.nodes()) {
            if (!n.opType().equals("Reshape") || n.inputs().size() != 2 || !splitsHeads(n)) {
                continue;
            }
            Long[] shape = shape(n.inputs().get(1));
            if (shape == null || shape.length != 4 || shape[2] == null || shape[3] == null) {
                continue;
            }
            long heads = shape[2];
            long headSize = shape[3];
            if (heads > 0 && headSize > 0 && heads * headSize == hidden) {
                return (int) heads;
            }
        }
        throw new IllegalArgumentException(
                "cannot find the Reshape of query/key/value to [batch, seq, heads, headSize]");
    }

    /** Whether the reshaped tensor is the biased output of a query, key or value projection. */
    private boolean splitsHeads(OnnxNode reshape) {
        OnnxNode add = producers.get(reshape.inputs().get(0));
        return add != null
                && add.opType().equals("Add")
                && add.inputs().stream()
                        .map(OnnxBertImporter::stripPrefix)
                        .anyMatch(
                                i ->
                                        i.matches(
                                                "encoder\\.layer\\.\\d+\\.attention\\.self\\..*bias"));
    }

    /** A shape tensor's entries, {@code null} where only known at run time. */
    private Long[] shape(String name) {
        long[] constant = longs(name);
        if (constant != null) {
            Long[] out = new Long[constant.length];
            for (int i = 0; i < constant.length; i++) {
                out[i] = constant[i];
            }
            return out;
        }
        OnnxNode p = producers.get(name);
        if (p == null || !p.opType().equals("Concat")) {
            return null;
        }
        List<Long> parts = new ArrayList<>();
        for (String in : p.inputs()) {
            long[] v = longs(in);
            if (v == null) {
                parts.add(null); // a dimension computed from the input's shape: one entry
            } else {
                for (long d : v) {
                    parts.add(d);
                }
            }
        }
        return parts.toArray(new Long[0]);
    }

    private long[] longs(String name) {
        OnnxNode p = producers.get(name);
        OnnxTensor t =
                p != null && p.opType().equals("Constant")
                        ? p.valueAttr()
                        : graph.initializers().get(name);
        return t == null ? null : t.longs();
    }

    private List<OnnxNode> consumersOf(OnnxNode n) {
        List<OnnxNode> out = new ArrayList<>();
        n.outputs().forEach(o -> out.addAll(consumers.getOrDefault(o, List.of())));
        return out;
    }
}
