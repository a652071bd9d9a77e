package dev.bertstream.models.imports;

import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import java.util.Map;

import static dev.bertstream.models.weights.BertWeights.layer;

/**
 * Completes ModernBERT's tensors into canonical ones: splits the packed {@code Wqkv} kernel into
 * query, key and value (its output columns are {@code [q | k | v]}) and {@code Wi} into the GeGLU
 * input and gate ({@code [input | gate]}, as {@code chunk(2)} splits them), and gives the bias-free
 * layers and norms zero biases, so the graph has one dense and one LayerNorm form.
 */
final class ModernBertLayout {

    private ModernBertLayout() {}

    static void complete(Map<String, WeightTensor> t, BertConfig c) {
        for (int i = 0; i < c.numLayers(); i++) {
            split(
                    t,
                    layer(i, "attention.self.qkv"),
                    layer(i, "attention.self.query"),
                    layer(i, "attention.self.key"),
                    layer(i, "attention.self.value"));
            split(
                    t,
                    layer(i, "intermediate.wi"),
                    layer(i, "intermediate.dense"),
                    layer(i, "intermediate.gate"));
        }
        for (String name : BertWeights.canonicalNames(c)) {
            if (!name.endsWith(".bias") || t.containsKey(name)) {
                continue;
            }
            String stem = name.substring(0, name.length() - ".bias".length());
            WeightTensor kernel = t.get(stem + ".kernel");
            WeightTensor gamma = t.get(stem + ".weight");
            long size = kernel != null ? kernel.dim(1) : gamma != null ? gamma.dim(0) : -1;
            if (size > 0) {
                t.put(name, new WeightTensor(new long[] {size}, new float[(int) size]));
            }
        }
    }

    /** Splits {@code packed.kernel} (and {@code packed.bias}) column-wise into equal parts. */
    private static void split(Map<String, WeightTensor> t, String packed, String... parts) {
        WeightTensor kernel = t.remove(packed + ".kernel");
        WeightTensor bias = t.remove(packed + ".bias");
        if (kernel == null) {
            return;
        }
        int rows = (int) kernel.dim(0);
        int cols = (int) kernel.dim(1);
        if (cols % parts.length != 0) {
            throw new IllegalArgumentException(
                    "Tensor '"
                            + packed
                            + "' has "
                            + cols
                            + " outputs, not "
                            + parts.length
                            + " equal parts");
        }
        int width = cols / parts.length;
        for (int p = 0; p < parts.length; p++) {
            float[] k = new float[rows * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(kernel.data(), r * cols + p * width, k, r * width, width);
            }
            t.put(parts[p] + ".kernel", new WeightTensor(new long[] {rows, width}, k));
            if (bias != null) {
                float[] b = new float[width];
                System.arraycopy(bias.data(), p * width, b, 0, width);
                t.put(parts[p] + ".bias", new WeightTensor(new long[] {width}, b));
            }
        }
    }
}
