package dev.bertstream.models.training.pretrain;

import org.apache.flink.annotation.Internal;

/**
 * What a pre-training run did: held-out masked-token loss and accuracy before and after.
 *
 * @param texts texts trained on
 * @param steps updates made
 * @param before held-out score of the encoder as it came
 * @param after held-out score of the pre-trained encoder
 * @param seconds wall-clock time
 */
@Internal
public record PretrainReport(long texts, long steps, Score before, Score after, double seconds) {

    /** Mean cross-entropy and accuracy of the predicted (masked) tokens. */
    public record Score(double loss, double accuracy) {}

    public String summary() {
        return String.format(
                "MLM pre-training: %d texts, %d steps, %.0f s; held-out masked tokens: loss %.3f -> %.3f,"
                        + " accuracy %.3f -> %.3f",
                texts, steps, seconds, before.loss, after.loss, before.accuracy, after.accuracy);
    }
}
