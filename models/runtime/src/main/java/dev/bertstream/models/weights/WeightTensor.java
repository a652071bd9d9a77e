package dev.bertstream.models.weights;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;

/** A dense float32 tensor in row-major order, as read from a checkpoint. */
@PublicEvolving
public record WeightTensor(long[] shape, float[] data) {

    public WeightTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "Shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + n
                            + " values, got "
                            + data.length);
        }
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}. */
    public long dim(int i) {
        return shape[i];
    }

    /**
     * Returns the transpose of a rank-2 tensor (used to turn {@code [out, in]} linear weights into
     * kernels).
     */
    public WeightTensor transpose2d() {
        if (shape.length != 2) {
            throw new IllegalStateException(
                    "transpose2d needs rank 2, got " + Arrays.toString(shape));
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        float[] t = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = data[r * cols + c];
            }
        }
        return new WeightTensor(new long[] {cols, rows}, t);
    }

    @Override
    public String toString() {
        return "WeightTensor" + Arrays.toString(shape);
    }
}
