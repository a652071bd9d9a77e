package dev.bertstream.models.training.finetune;

/**
 * Hyper-parameters of full fine-tuning (encoder and heads together).
 *
 * @param epochs passes over the training data at most
 * @param learningRate peak AdamW step size, reached after warm-up
 * @param warmupFraction share of all steps over which the rate rises linearly from 0; it then decays linearly to 0
 * @param weightDecay AdamW decoupled weight decay, applied to dense kernels and heads only (not biases,
 *     LayerNorm or embeddings)
 * @param batchSize examples per update
 * @param maxGradNorm gradients are scaled down when their global L2 norm exceeds this
 * @param patience epochs without dev improvement before stopping early
 * @param evalsPerEpoch dev evaluations per epoch (each may become the kept checkpoint)
 * @param seed head initialisation and data order; the same seed gives the same model
 * @param classWeights weight the loss by inverse class frequency, for imbalanced data
 * @param trainWordEmbeddings also update the word embedding table (off: it stays as pretrained, which saves a
 *     dense {@code [vocab, hidden]} gradient per step and keeps rare words' vectors from drifting)
 */
public record FineTuneOptions(int epochs, double learningRate, double warmupFraction, double weightDecay, int batchSize,
        double maxGradNorm, int patience, int evalsPerEpoch, long seed, boolean classWeights,
        boolean trainWordEmbeddings) {

    public FineTuneOptions {
        if (epochs < 1 || batchSize < 1 || patience < 1 || evalsPerEpoch < 1) {
            throw new IllegalArgumentException("Bad fine-tuning options: epochs, batch size, patience and evaluations "
                    + "per epoch must be >= 1, got " + this);
        }
        if (!(learningRate > 0) || weightDecay < 0 || !(maxGradNorm > 0) || warmupFraction < 0 || warmupFraction >= 1) {
            throw new IllegalArgumentException("Bad fine-tuning options: learning rate and max gradient norm > 0, "
                    + "weight decay >= 0, warm-up fraction in [0, 1), got " + this);
        }
    }

    /** Settings that fine-tune small BERT encoders (MiniLM, BGE-small) well on a few thousand examples. */
    public static FineTuneOptions defaults() {
        return new FineTuneOptions(3, 5e-5, 0.1, 0.01, 32, 1.0, 2, 1, 42, true, false);
    }

    public FineTuneOptions withEpochs(int n) {
        return new FineTuneOptions(n, learningRate, warmupFraction, weightDecay, batchSize, maxGradNorm, patience,
                evalsPerEpoch, seed, classWeights, trainWordEmbeddings);
    }

    public FineTuneOptions withLearningRate(double lr) {
        return new FineTuneOptions(epochs, lr, warmupFraction, weightDecay, batchSize, maxGradNorm, patience,
                evalsPerEpoch, seed, classWeights, trainWordEmbeddings);
    }

    public FineTuneOptions withSeed(long s) {
        return new FineTuneOptions(epochs, learningRate, warmupFraction, weightDecay, batchSize, maxGradNorm, patience,
                evalsPerEpoch, s, classWeights, trainWordEmbeddings);
    }

    public FineTuneOptions withBatchSize(int n) {
        return new FineTuneOptions(epochs, learningRate, warmupFraction, weightDecay, n, maxGradNorm, patience,
                evalsPerEpoch, seed, classWeights, trainWordEmbeddings);
    }

    public FineTuneOptions withClassWeights(boolean on) {
        return new FineTuneOptions(epochs, learningRate, warmupFraction, weightDecay, batchSize, maxGradNorm, patience,
                evalsPerEpoch, seed, on, trainWordEmbeddings);
    }

    public FineTuneOptions withEvalsPerEpoch(int n) {
        return new FineTuneOptions(epochs, learningRate, warmupFraction, weightDecay, batchSize, maxGradNorm, patience,
                n, seed, classWeights, trainWordEmbeddings);
    }

    /** Learning rate at update {@code step} (0-based) of {@code totalSteps}: linear warm-up, then linear decay to 0. */
    public double learningRateAt(long step, long totalSteps) {
        long warmup = (long) Math.ceil(warmupFraction * totalSteps);
        if (step < warmup) {
            return learningRate * (step + 1) / warmup;
        }
        long decaySteps = Math.max(1, totalSteps - warmup);
        return learningRate * Math.max(0.0, (double) (totalSteps - step) / decaySteps);
    }
}
