package dev.bertstream.models.training.pretrain;

import org.apache.flink.annotation.Internal;

/**
 * Hyper-parameters of continued masked-language-model pre-training.
 *
 * @param epochs passes over the texts (each pass draws new masks)
 * @param batchSize texts per update
 * @param learningRate peak AdamW step size, reached after warm-up (10% of the steps)
 * @param maxLen max tokens per text, [CLS] and [SEP] included
 * @param maskProbability share of a text's tokens to predict (BERT: 0.15)
 * @param wholeWord mask whole words (dictionary word segmentation, so Chinese words too) rather
 *     than single tokens
 * @param dropout dropout probability in the encoder during training
 * @param weightDecay AdamW decoupled weight decay on dense kernels
 * @param maxGradNorm global gradient norm clip
 * @param seed seed of shuffling, masking, dropout and the new head's initial weights
 */
@Internal
public record PretrainOptions(
        int epochs,
        int batchSize,
        double learningRate,
        int maxLen,
        double maskProbability,
        boolean wholeWord,
        double dropout,
        double weightDecay,
        double maxGradNorm,
        long seed) {

    public PretrainOptions {
        if (epochs < 1 || batchSize < 1 || maxLen < 3) {
            throw new IllegalArgumentException(
                    "epochs and batch size must be >= 1 and max length >= 3, got "
                            + epochs
                            + ", "
                            + batchSize
                            + ", "
                            + maxLen);
        }
        if (!(maskProbability > 0 && maskProbability < 1)) {
            throw new IllegalArgumentException(
                    "mask probability must be in (0, 1), got " + maskProbability);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
    }

    /** BERT's recipe for continued pre-training on domain text (Gururangan et al., 2020). */
    public static PretrainOptions defaults() {
        return new PretrainOptions(1, 32, 5e-5, 128, 0.15, false, 0.1, 0.01, 1.0, 42);
    }

    public PretrainOptions withEpochs(int value) {
        return new PretrainOptions(
                value,
                batchSize,
                learningRate,
                maxLen,
                maskProbability,
                wholeWord,
                dropout,
                weightDecay,
                maxGradNorm,
                seed);
    }

    public PretrainOptions withBatchSize(int value) {
        return new PretrainOptions(
                epochs,
                value,
                learningRate,
                maxLen,
                maskProbability,
                wholeWord,
                dropout,
                weightDecay,
                maxGradNorm,
                seed);
    }

    public PretrainOptions withLearningRate(double value) {
        return new PretrainOptions(
                epochs,
                batchSize,
                value,
                maxLen,
                maskProbability,
                wholeWord,
                dropout,
                weightDecay,
                maxGradNorm,
                seed);
    }

    public PretrainOptions withMaxLen(int value) {
        return new PretrainOptions(
                epochs,
                batchSize,
                learningRate,
                value,
                maskProbability,
                wholeWord,
                dropout,
                weightDecay,
                maxGradNorm,
                seed);
    }

    public PretrainOptions withWholeWord(boolean value) {
        return new PretrainOptions(
                epochs,
                batchSize,
                learningRate,
                maxLen,
                maskProbability,
                value,
                dropout,
                weightDecay,
                maxGradNorm,
                seed);
    }

    public PretrainOptions withSeed(long value) {
        return new PretrainOptions(
                epochs,
                batchSize,
                learningRate,
                maxLen,
                maskProbability,
                wholeWord,
                dropout,
                weightDecay,
                maxGradNorm,
                value);
    }

    /** Linear warm-up over the first 10% of the steps, then linear decay to zero. */
    public double learningRateAt(long step, long totalSteps) {
        long warmup = Math.max(1, (long) Math.ceil(0.1 * totalSteps));
        if (step < warmup) {
            return learningRate * (step + 1) / warmup;
        }
        long decaySteps = Math.max(1, totalSteps - warmup);
        return learningRate * Math.max(0.0, (double) (totalSteps - step) / decaySteps);
    }
}
