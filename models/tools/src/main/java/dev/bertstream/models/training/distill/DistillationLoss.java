package dev.bertstream.models.training.distill;

import org.apache.flink.annotation.Internal;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The terms of the distillation loss, as graph ops: KL divergence from the teacher's softened
 * distribution to the student's (Hinton et al., 2015), and mean squared error between hidden states
 * over real (unpadded) tokens (as TinyBERT, Jiao et al., 2020).
 */
@Internal
final class DistillationLoss {

    private DistillationLoss() {}

    /**
     * {@code T² · KL(softmax(teacher/T) ‖ softmax(student/T))}, averaged over the batch; the T²
     * keeps gradient magnitudes independent of T.
     */
    static Operand<TFloat32> softmaxKl(
            Ops t, Operand<TFloat32> teacher, Operand<TFloat32> student, float temperature) {
        Operand<TFloat32> tT = t.stopGradient(t.math.div(teacher, t.constant(temperature)));
        Operand<TFloat32> sT = t.math.div(student, t.constant(temperature));
        Operand<TFloat32> p = t.nn.softmax(tT);
        Operand<TFloat32> klRows =
                t.sum(
                        t.math.mul(p, t.math.sub(t.nn.logSoftmax(tT), t.nn.logSoftmax(sT))),
                        t.constant(1));
        return t.math.mul(
                t.math.mean(klRows, t.constant(0)), t.constant(temperature * temperature));
    }

    /**
     * {@code T² ·} the KL divergence between the teachers's and the student's per-label Bernoulli
     * distributions (sigmoid heads), averaged over labels and batch.
     */
    static Operand<TFloat32> sigmoidKl(
            Ops t, Operand<TFloat32> teacher, Operand<TFloat32> student, float temperature) {
        Operand<TFloat32> tT = t.stopGradient(t.math.div(teacher, t.constant(temperature)));
        Operand<TFloat32> sT = t.math.div(student, t.constant(temperature));
        Operand<TFloat32> p = t.math.sigmoid(tT);
        Operand<TFloat32> q = t.math.sub(t.constant(1f), p);
        // log σ(x) = −softplus(−x), log(1 − σ(x)) = −softplus(x): stable for large logits.
        Operand<TFloat32> kl =
                t.math.add(
                        t.math.mul(
                                p,
                                t.math.sub(
                                        t.math.softplus(t.math.neg(sT)),
                                        t.math.softplus(t.math.neg(tT)))),
                        t.math.mul(q, t.math.sub(t.math.softplus(sT), t.math.softplus(tT))));
        return t.math.mul(
                t.math.mean(kl, t.constant(new int[] {0, 1})),
                t.constant(temperature * temperature));
    }

    /**
     * Mean squared error between {@code [rows, hidden]} states, over rows whose {@code mask} is 1
     * (real tokens), averaged over the hidden dimension.
     *
     * @param mask {@code [rows]}, 1 for a real token, 0 for padding
     */
    static Operand<TFloat32> maskedMse(
            Ops t, Operand<TFloat32> teacher, Operand<TFloat32> student, Operand<TFloat32> mask) {
        Operand<TFloat32> perRow =
                t.math.mean(
                        t.math.square(t.math.sub(student, t.stopGradient(teacher))), t.constant(1));
        return t.math.div(
                t.sum(t.math.mul(perRow, mask), t.constant(0)),
                t.math.maximum(t.sum(mask, t.constant(0)), t.constant(1f)));
    }
}
