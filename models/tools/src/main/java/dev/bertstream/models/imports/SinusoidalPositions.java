package dev.bertstream.models.imports;

import dev.bertstream.models.weights.WeightTensor;

/**
 * DistilBERT's fixed sinusoidal position table ({@code create_sinusoidal_embeddings}), for
 * checkpoints configured with {@code sinusoidal_pos_embds} that do not store it.
 */
final class SinusoidalPositions {

    private SinusoidalPositions() {}

    /** {@code sin} on even columns, {@code cos} on odd, of {@code pos / 10000^(2⌊j/2⌋/dim)}. */
    static WeightTensor table(int positions, int dim) {
        float[] data = new float[positions * dim];
        for (int pos = 0; pos < positions; pos++) {
            for (int j = 0; j < dim; j++) {
                double angle = pos / Math.pow(10000, 2.0 * (j / 2) / dim);
                data[pos * dim + j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return new WeightTensor(new long[] {positions, dim}, data);
    }
}
