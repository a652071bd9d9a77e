package dev.bertstream.app.bench;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/**
 * Measures this machine's float32 matmul throughput through TensorFlow: the ceiling for BERT
 * inference.
 */
final class MatmulPeak {

    private MatmulPeak() {}

    /**
     * GFLOP/s of an {@code n×n} by {@code n×n} float32 matmul, best of {@code runs} after a
     * warm-up.
     */
    static double measure(int n, int runs) {
        return measure(n, runs, false);
    }

    /**
     * As {@link #measure(int, int)}; with {@code bfloat16} the session's oneDNN
     * auto-mixed-precision pass runs the matmul in bfloat16, as the bfloat16 model session does.
     */
    static double measure(int n, int runs, boolean bfloat16) {
        ConfigProto.Builder config = ConfigProto.newBuilder().setInterOpParallelismThreads(1);
        if (bfloat16) {
            config.getGraphOptionsBuilder()
                    .getRewriteOptionsBuilder()
                    .setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
        }
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> a =
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
            var product = tf.linalg.matMul(a, a);
            // Reduce to a scalar so copying the result out does not count against the matmul.
            var sum = tf.sum(product, tf.constant(new int[] {0, 1}));
            try (Session s = new Session(g, config.build());
                    TFloat32 input =
                            TFloat32.tensorOf(
                                    Shape.of(n, n),
                                    t -> {
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
