package dev.bertstream.models.training.finetune;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The fine-tuning loss of one task's batch: class-weighted, optionally label-smoothed
 * cross-entropy.
 */
final class WeightedCrossEntropy {

    private WeightedCrossEntropy() {}

    /**
     * {@code Σ w[y]·CE / Σ w[y]}: PyTorch's weighted mean, so the loss scale does not depend on the
     * weights. With label smoothing ε the target puts {@code 1 - ε + ε/K} on the label and {@code
     * ε/K} on every other class (PyTorch's {@code label_smoothing}), which keeps a mislabeled
     * example from pulling the model all the way.
     */
    static Operand<TFloat32> of(
            Ops t,
            Operand<TFloat32> logits,
            Operand<TInt32> y,
            float[] classWeights,
            float smoothing) {
        int k = classWeights.length;
        Operand<TFloat32> target =
                t.oneHot(
                        y,
                        t.constant(k),
                        t.constant(1f - smoothing + smoothing / k),
                        t.constant(smoothing / k));
        Operand<TFloat32> ce =
                t.math.neg(t.sum(t.math.mul(target, t.nn.logSoftmax(logits)), t.constant(1)));
        Operand<TFloat32> w = t.gather(t.constant(classWeights), y, t.constant(0));
        return t.withName("loss")
                .math
                .div(t.sum(t.math.mul(w, ce), t.constant(0)), t.sum(w, t.constant(0)));
    }
}
