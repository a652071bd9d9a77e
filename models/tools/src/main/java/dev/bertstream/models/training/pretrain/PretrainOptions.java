package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.training.WarmupLinearDecay;

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
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options with the defaults of {@link #defaults()} unless set. */
    public static final class Builder {
        private int epochs = 1;
        private int batchSize = 32;
        private double learningRate = 5e-5;
        private int maxLen = 128;
        private boolean wholeWord;
        private long seed = 42;

        private Builder() {}

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder maxLen(int value) {
            maxLen = value;
            return this;
        }

        public Builder wholeWord(boolean value) {
            wholeWord = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Validates and builds; masking 15%, dropout 0.1, weight decay 0.01, clipping at 1.0. */
        public PretrainOptions build() {
            return new PretrainOptions(
                    epochs, batchSize, learningRate, maxLen, 0.15, wholeWord, 0.1, 0.01, 1.0, seed);
        }
    }

    /** Linear warm-up over the first 10% of the steps, then linear decay to zero. */
    public double learningRateAt(long step, long totalSteps) {
        return new WarmupLinearDecay(learningRate, WarmupLinearDecay.DEFAULT_WARMUP_FRACTION)
                .rateAt(step, totalSteps);
    }
}
