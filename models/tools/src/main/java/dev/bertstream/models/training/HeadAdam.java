package dev.bertstream.models.training;

/**
 * AdamW state for one parameter array of a head trained in plain Java ({@link SoftmaxHeadTrainer},
 * {@link SigmoidHeadTrainer}).
 */
final class HeadAdam {
    private final double[] m;
    private final double[] v;
    private int t;

    HeadAdam(int size) {
        m = new double[size];
        v = new double[size];
    }

    /**
     * One update of {@code param} with gradient {@code grad · scale} and decoupled weight decay.
     */
    void step(float[] param, float[] grad, float scale, double lr, double decay) {
        t++;
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < param.length; i++) {
            double g = grad[i] * scale;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            param[i] -=
                    (float) (lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8) + decay * param[i]));
        }
    }
}
