package dev.bertstream.models.weights;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;

/**
 * A dense layer's {@code [in, out]} kernel quantised to signed 8-bit integers, symmetric per output
 * column: {@code kernel[k][n] ≈ values[k][n] · scales[n]}.
 *
 * <p>Values use {@code ±levels} of the int8 range. The default, {@link #DEFAULT_LEVELS} (7 bits),
 * leaves headroom for CPUs without VNNI: their u8·s8 multiply ({@code vpmaddubsw}) adds pairs of
 * products into a saturating 16-bit lane, and {@code 2·255·63} still fits where {@code 2·255·127}
 * does not (ONNX Runtime's {@code reduce_range} does the same).
 *
 * @param shape {@code [in, out]}
 * @param values row-major quantised values
 * @param scales {@code [out]} dequantisation scale of each output column
 */
@PublicEvolving
public record Int8Kernel(long[] shape, byte[] values, float[] scales) {

    /** Quantisation levels each side of zero by default (7-bit weights). */
    public static final int DEFAULT_LEVELS = 63;

    public Int8Kernel {
        if (shape.length != 2
                || shape[0] * shape[1] != values.length
                || shape[1] != scales.length) {
            throw new IllegalArgumentException(
                    "Int8 kernel "
                            + Arrays.toString(shape)
                            + " has "
                            + values.length
                            + " values and "
                            + scales.length
                            + " scales");
        }
    }

    /**
     * Quantises {@code kernel} per output column to {@code ±levels}; {@code levels} below {@link
     * #DEFAULT_LEVELS} coarsen it (tests use that to make a bundle the accuracy gate refuses).
     */
    public static Int8Kernel quantize(WeightTensor kernel, int levels) {
        if (kernel.rank() != 2) {
            throw new IllegalArgumentException("Int8 kernels are rank 2, got " + kernel);
        }
        if (levels < 1 || levels > 127) {
            throw new IllegalArgumentException("levels must be in [1, 127], got " + levels);
        }
        int rows = (int) kernel.dim(0);
        int cols = (int) kernel.dim(1);
        float[] w = kernel.data();
        float[] scales = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                scales[c] = Math.max(scales[c], Math.abs(w[r * cols + c]));
            }
        }
        for (int c = 0; c < cols; c++) {
            // An all-zero column quantises to zeros whatever its scale.
            scales[c] = scales[c] == 0 ? 1f : scales[c] / levels;
        }
        byte[] q = new byte[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = Math.round(w[r * cols + c] / scales[c]);
                q[r * cols + c] = (byte) Math.max(-levels, Math.min(levels, v));
            }
        }
        return new Int8Kernel(kernel.shape().clone(), q, scales);
    }

    /** {@code Σ_k values[k][n]} per output column, as floats (the zero-point correction). */
    public float[] columnSums() {
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] sums = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                sums[c] += values[r * cols + c];
            }
        }
        return sums;
    }

    /** The float kernel these values stand for. */
    public WeightTensor dequantize() {
        int cols = (int) shape[1];
        float[] w = new float[values.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = values[i] * scales[i % cols];
        }
        return new WeightTensor(shape.clone(), w);
    }

    @Override
    public String toString() {
        return "Int8Kernel" + Arrays.toString(shape);
    }
}
