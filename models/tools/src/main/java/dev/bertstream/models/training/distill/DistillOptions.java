package dev.bertstream.models.training.distill;

import dev.bertstream.models.training.WarmupLinearDecay;

import org.apache.flink.annotation.Internal;

/**
 * Hyper-parameters of distillation.
 *
 * <pre>{@code
 * DistillOptions.builder().layers(3).steps(2000).temperature(2).build();
 * }</pre>
 *
 * @param layers student layers
 * @param batchSize texts per step
 * @param steps training steps; 0 means one pass over the texts
 * @param maxTexts at most this many training texts (a random sample); 0 means all
 * @param maxLen tokens per text, [CLS] and [SEP] included
 * @param learningRate peak AdamW rate (linear warm-up over 10% of the steps, then linear decay)
 * @param temperature softmax temperature of the soft targets
 * @param hiddenWeight weight of the hidden-state MSE against the heads' KL terms
 * @param weightDecay AdamW decoupled weight decay on dense kernels
 * @param maxGradNorm global gradient norm clip
 * @param trainWordEmbeddings whether the word embedding table is trained (it is the largest tensor,
 *     and the teacher's table is already what the student needs)
 * @param heldOut texts held out of training to track agreement with the teacher
 * @param evalEvery steps between held-out agreement checks (0: only at the end)
 * @param seed shuffling seed
 */
@Internal
public record DistillOptions(
        int layers,
        int batchSize,
        long steps,
        int maxTexts,
        int maxLen,
        double learningRate,
        double temperature,
        double hiddenWeight,
        double weightDecay,
        double maxGradNorm,
        boolean trainWordEmbeddings,
        int heldOut,
        long evalEvery,
        long seed) {

    public DistillOptions {
        require(layers >= 1, "--layers must be at least 1, got " + layers);
        require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        require(steps >= 0, "--steps must not be negative, got " + steps);
        require(maxTexts >= 0, "--max-texts must not be negative, got " + maxTexts);
        require(maxLen >= 2, "--max-len must be at least 2, got " + maxLen);
        require(learningRate > 0, "--lr must be positive, got " + learningRate);
        require(temperature > 0, "--temperature must be positive, got " + temperature);
        require(hiddenWeight >= 0, "--hidden-weight must not be negative, got " + hiddenWeight);
        require(heldOut >= 0, "--held-out must not be negative, got " + heldOut);
        require(evalEvery >= 0, "--eval-every must not be negative, got " + evalEvery);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The rate at {@code step} of {@code totalSteps}: linear warm-up over the first 10%, then
     * linear decay to 0.
     */
    public double learningRateAt(long step, long totalSteps) {
        return new WarmupLinearDecay(learningRate, WarmupLinearDecay.DEFAULT_WARMUP_FRACTION)
                .rateAt(step, totalSteps);
    }

    /** Builder with the defaults of {@code models distill}. */
    public static final class Builder {
        private int layers = 3;
        private int batchSize = 32;
        private long steps;
        private int maxTexts;
        private int maxLen = 64;
        private double learningRate = 1e-4;
        private double temperature = 1;
        private double hiddenWeight = 1;
        private double weightDecay = 0.01;
        private double maxGradNorm = 1;
        private boolean trainWordEmbeddings;
        private int heldOut = 512;
        private long evalEvery = 500;
        private long seed = 42;

        private Builder() {}

        public Builder layers(int n) {
            layers = n;
            return this;
        }

        public Builder batchSize(int n) {
            batchSize = n;
            return this;
        }

        public Builder steps(long n) {
            steps = n;
            return this;
        }

        public Builder maxTexts(int n) {
            maxTexts = n;
            return this;
        }

        public Builder maxLen(int n) {
            maxLen = n;
            return this;
        }

        public Builder learningRate(double lr) {
            learningRate = lr;
            return this;
        }

        public Builder temperature(double t) {
            temperature = t;
            return this;
        }

        public Builder hiddenWeight(double w) {
            hiddenWeight = w;
            return this;
        }

        public Builder weightDecay(double w) {
            weightDecay = w;
            return this;
        }

        public Builder maxGradNorm(double n) {
            maxGradNorm = n;
            return this;
        }

        public Builder trainWordEmbeddings(boolean on) {
            trainWordEmbeddings = on;
            return this;
        }

        public Builder heldOut(int n) {
            heldOut = n;
            return this;
        }

        public Builder evalEvery(long n) {
            evalEvery = n;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public DistillOptions build() {
            return new DistillOptions(
                    layers,
                    batchSize,
                    steps,
                    maxTexts,
                    maxLen,
                    learningRate,
                    temperature,
                    hiddenWeight,
                    weightDecay,
                    maxGradNorm,
                    trainWordEmbeddings,
                    heldOut,
                    evalEvery,
                    seed);
        }
    }
}
