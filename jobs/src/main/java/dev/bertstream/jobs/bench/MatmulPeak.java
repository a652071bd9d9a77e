package dev.bertstream.jobs.bench;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Measures this machine's float32 matmul throughput through TensorFlow: the ceiling for BERT inference. */
final class MatmulPeak {

    private MatmulPeak() {}

    /** GFLOP/s of an {@code n×n} by {@code n×n} matmul, best of {@code runs} after a warm-up. */
    static double measure(int n, int runs) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            var product = tf.linalg.matMul(a, a);
            // Reduce to a scalar so copying the result out does not count against the matmul.
            var sum = tf.sum(product, tf.constant(new int[] {0, 1}));
            try (Session s = new Session(g);
                    TFloat32 input = TFloat32.tensorOf(Shape.of(n, n), t -> {
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                t.setFloat((i * 31 + j * 17) % 13 / 13f, i, j);
                            }
                        }
                    })) {
                s.runner().feed(a, input).fetch(sum).run().close();
                long best = Long.MAX_VALUE;
                for (int r = 0; r < runs; r++) {
                    long t0 = System.nanoTime();
                    s.runner().feed(a, input).fetch(sum).run().close();
                    best = Math.min(best, System.nanoTime() - t0);
                }
                return 2.0 * n * n * n / best;
            }
        }
    }
}
