package dev.bertstream.models.training.finetune;

import dev.bertstream.models.training.WarmupLinearDecay;

import org.apache.flink.annotation.Internal;

/**
 * Hyper-parameters of full fine-tuning (encoder and heads together).
 *
 * @param epochs passes over the training data at most
 * @param learningRate peak AdamW step size, reached after warm-up
 * @param warmupFraction share of all steps over which the rate rises linearly from 0; it then
 *     decays linearly to 0
 * @param weightDecay AdamW decoupled weight decay, applied to dense kernels and heads only (not
 *     biases, LayerNorm or embeddings)
 * @param dropout drop probability of BERT's dropout layers (embeddings, attention, residual
 *     branches, pooled vector) during training steps; 0 turns it off
 * @param labelSmoothing share of each target spread evenly over all classes, in [0, 1); helps when
 *     some training labels are wrong
 * @param batchSize examples per update
 * @param maxGradNorm gradients are scaled down when their global L2 norm exceeds this
 * @param patience epochs without dev improvement before stopping early
 * @param evalsPerEpoch dev evaluations per epoch (each may become the kept checkpoint)
 * @param seed head initialisation and data order; the same seed gives the same model
 * @param classWeights weight the loss by inverse class frequency, for imbalanced data
 * @param trainWordEmbeddings also update the word embedding table (off: it stays as pretrained,
 *     which saves a dense {@code [vocab, hidden]} gradient per step and keeps rare words' vectors
 *     from drifting)
 */
@Internal
public record FineTuneOptions(
        int epochs,
        double learningRate,
        double warmupFraction,
        double weightDecay,
        double dropout,
        double labelSmoothing,
        int batchSize,
        double maxGradNorm,
        int patience,
        int evalsPerEpoch,
        long seed,
        boolean classWeights,
        boolean trainWordEmbeddings) {

    public FineTuneOptions {
        if (epochs < 1 || batchSize < 1 || patience < 1 || evalsPerEpoch < 1) {
            throw new IllegalArgumentException(
                    "Bad fine-tuning options: epochs, batch size, patience and evaluations "
                            + "per epoch must be >= 1, got "
                            + this);
        }
        if (!(learningRate > 0)
                || weightDecay < 0
                || !(maxGradNorm > 0)
                || warmupFraction < 0
                || warmupFraction >= 1
                || !(dropout >= 0 && dropout < 1)
                || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException(
                    "Bad fine-tuning options: learning rate and max gradient norm > 0, "
                            + "weight decay >= 0, warm-up fraction, dropout and label smoothing in [0, 1), got "
                            + this);
        }
    }

    /**
     * Fixed settings (3 epochs, peak rate 5e-5, one dev evaluation per epoch, no dropout) for code
     * that does not know its data; {@link Builder#build(int, int)} picks epochs, rate and
     * evaluations from the data and encoder instead (what {@code models train --fine-tune} does).
     */
    public static FineTuneOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults: {@code
     * FineTuneOptions.builder().epochs(2).learningRate(1e-4).build()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Knobs of {@link FineTuneOptions}, each starting at its default. */
    public static final class Builder {
        // null: chosen by build(trainExamples, hiddenSize) from FineTuneDefaults, else the fixed
        // value.
        private Integer epochs;
        private Double learningRate;
        private Integer evalsPerEpoch;
        private double warmupFraction = WarmupLinearDecay.DEFAULT_WARMUP_FRACTION;
        private double weightDecay = 0.01;
        // 0: every best recipe of docs/MODELS.md ran without dropout.
        private double dropout;
        private double labelSmoothing;
        private int batchSize = 32;
        private double maxGradNorm = 1.0;
        private int patience = 2;
        private long seed = 42;
        private boolean classWeights = true;
        private boolean trainWordEmbeddings;

        private Builder() {}

        public Builder epochs(int n) {
            epochs = n;
            return this;
        }

        public Builder learningRate(double lr) {
            learningRate = lr;
            return this;
        }

        public Builder warmupFraction(double f) {
            warmupFraction = f;
            return this;
        }

        public Builder weightDecay(double d) {
            weightDecay = d;
            return this;
        }

        public Builder dropout(double p) {
            dropout = p;
            return this;
        }

        public Builder labelSmoothing(double e) {
            labelSmoothing = e;
            return this;
        }

        public Builder batchSize(int n) {
            batchSize = n;
            return this;
        }

        public Builder maxGradNorm(double n) {
            maxGradNorm = n;
            return this;
        }

        public Builder patience(int n) {
            patience = n;
            return this;
        }

        public Builder evalsPerEpoch(int n) {
            evalsPerEpoch = n;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder classWeights(boolean on) {
            classWeights = on;
            return this;
        }

        public Builder trainWordEmbeddings(boolean on) {
            trainWordEmbeddings = on;
            return this;
        }

        /** Whether epochs were given (else {@link #build(int, int)} chooses them). */
        public boolean hasEpochs() {
            return epochs != null;
        }

        /** Whether the peak learning rate was given. */
        public boolean hasLearningRate() {
            return learningRate != null;
        }

        /** Whether the evaluations per epoch were given. */
        public boolean hasEvalsPerEpoch() {
            return evalsPerEpoch != null;
        }

        /**
         * Validates and returns the options; what was not given takes the fixed defaults (3 epochs,
         * 5e-5, one evaluation per epoch). A bad value fails naming every option.
         */
        public FineTuneOptions build() {
            return build(
                    epochs == null ? 3 : epochs,
                    learningRate == null ? 5e-5 : learningRate,
                    evalsPerEpoch == null ? 1 : evalsPerEpoch);
        }

        /**
         * Validates and returns the options; epochs, peak rate and evaluations per epoch not given
         * are chosen by {@link FineTuneDefaults} for {@code trainExamples} examples (all tasks) and
         * an encoder of width {@code hiddenSize}.
         */
        public FineTuneOptions build(int trainExamples, int hiddenSize) {
            int e = epochs != null ? epochs : FineTuneDefaults.epochs(trainExamples);
            return build(
                    e,
                    learningRate != null ? learningRate : FineTuneDefaults.learningRate(hiddenSize),
                    evalsPerEpoch != null ? evalsPerEpoch : FineTuneDefaults.evalsPerEpoch(e));
        }

        private FineTuneOptions build(int epochs, double learningRate, int evalsPerEpoch) {
            return new FineTuneOptions(
                    epochs,
                    learningRate,
                    warmupFraction,
                    weightDecay,
                    dropout,
                    labelSmoothing,
                    batchSize,
                    maxGradNorm,
                    patience,
                    evalsPerEpoch,
                    seed,
                    classWeights,
                    trainWordEmbeddings);
        }
    }

    /**
     * Learning rate at update {@code step} (0-based) of {@code totalSteps}: linear warm-up, then
     * linear decay to 0.
     */
    public double learningRateAt(long step, long totalSteps) {
        return new WarmupLinearDecay(learningRate, warmupFraction).rateAt(step, totalSteps);
    }
}
