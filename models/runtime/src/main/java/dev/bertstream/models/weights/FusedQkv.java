package dev.bertstream.models.weights;

import org.apache.flink.annotation.Internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs a layer's query, key and value projections into one {@code [hidden, 3·hidden]} kernel and
 * one {@code [3·hidden]} bias, so attention runs one matmul instead of three, and unpacks them
 * again.
 *
 * <p>Bundles written since the fusion store the packed tensors under {@link #kernelName} and {@link
 * #biasName} instead of the three canonical ones; {@link #unpack} restores the canonical names, so
 * code that reads an encoder's weights back (training, re-export) sees the same names whatever
 * bundle it reads.
 */
@Internal
public final class FusedQkv {

    private static final List<String> PARTS =
            List.of("attention.self.query", "attention.self.key", "attention.self.value");

    private FusedQkv() {}

    /** Name of layer {@code i}'s packed {@code [hidden, 3·hidden]} kernel. */
    public static String kernelName(int i) {
        return BertWeights.layer(i, "attention.self.qkv.kernel");
    }

    /** Name of layer {@code i}'s packed {@code [3·hidden]} bias. */
    public static String biasName(int i) {
        return BertWeights.layer(i, "attention.self.qkv.bias");
    }

    /** Layer {@code i}'s kernels side by side: column block 0 query, 1 key, 2 value. */
    public static WeightTensor packKernel(BertWeights w, int i) {
        WeightTensor[] parts = new WeightTensor[3];
        for (int p = 0; p < 3; p++) {
            parts[p] = w.get(BertWeights.layer(i, PARTS.get(p) + ".kernel"));
        }
        int rows = (int) parts[0].dim(0);
        int cols = (int) parts[0].dim(1);
        float[] packed = new float[rows * cols * 3];
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < 3; p++) {
                System.arraycopy(parts[p].data(), r * cols, packed, r * 3 * cols + p * cols, cols);
            }
        }
        return new WeightTensor(new long[] {rows, 3L * cols}, packed);
    }

    /** Layer {@code i}'s biases one after the other: query, key, value. */
    public static WeightTensor packBias(BertWeights w, int i) {
        float[][] parts = new float[3][];
        for (int p = 0; p < 3; p++) {
            parts[p] = w.get(BertWeights.layer(i, PARTS.get(p) + ".bias")).data();
        }
        int n = parts[0].length;
        float[] packed = new float[3 * n];
        for (int p = 0; p < 3; p++) {
            System.arraycopy(parts[p], 0, packed, p * n, n);
        }
        return new WeightTensor(new long[] {3L * n}, packed);
    }

    /**
     * The canonical query, key and value kernels and biases of layer {@code i} cut out of its
     * packed tensors.
     */
    public static Map<String, WeightTensor> unpack(
            int i, WeightTensor packedKernel, WeightTensor packedBias) {
        int rows = (int) packedKernel.dim(0);
        int cols = (int) packedKernel.dim(1) / 3;
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        for (int p = 0; p < 3; p++) {
            float[] k = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(packedKernel.data(), r * 3 * cols + p * cols, k, r * cols, cols);
            }
            float[] b = new float[cols];
            System.arraycopy(packedBias.data(), p * cols, b, 0, cols);
            out.put(
                    BertWeights.layer(i, PARTS.get(p) + ".kernel"),
                    new WeightTensor(new long[] {rows, cols}, k));
            out.put(
                    BertWeights.layer(i, PARTS.get(p) + ".bias"),
                    new WeightTensor(new long[] {cols}, b));
        }
        return out;
    }
}
