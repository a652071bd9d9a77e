package dev.bertstream.models.training.finetune;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The fine-tuning loss of a multi-label task's batch: binary cross-entropy of one sigmoid per
 * label, positives of label {@code l} weighted {@code positiveWeights[l]} (PyTorch's {@code
 * BCEWithLogitsLoss(pos_weight=...)}), averaged over examples and labels.
 */
final class SigmoidCrossEntropy {

    private SigmoidCrossEntropy() {}

    /**
     * {@code mean(pw·y·softplus(-z) + (1-y)·softplus(z))}: {@code softplus(-z) = -log σ(z)} and
     * {@code softplus(z) = -log(1-σ(z))}, computed from the logits so neither saturates.
     *
     * @param logits {@code [batch, labels]}
     * @param targets {@code [batch, labels]}, 1 where the example carries the label, else 0
     */
    static Operand<TFloat32> of(
            Ops t, Operand<TFloat32> logits, Operand<TFloat32> targets, float[] positiveWeights) {
        Operand<TFloat32> positive =
                t.math.mul(
                        t.math.mul(t.constant(positiveWeights), targets),
                        t.math.softplus(t.math.neg(logits)));
        Operand<TFloat32> negative =
                t.math.mul(t.math.sub(t.constant(1f), targets), t.math.softplus(logits));
        return t.withName("loss")
                .math
                .mean(t.math.add(positive, negative), t.constant(new int[] {0, 1}));
    }
}
