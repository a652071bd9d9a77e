package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

/**
 * What one {@link BatchPredictor#predict} call cost.
 *
 * @param texts texts classified
 * @param sessionCalls TensorFlow session runs (one per planned batch)
 * @param realTokens tokens of the texts themselves
 * @param computedTokens tokens the encoder computed, padding included
 * @param tokenizeNanos time spent tokenizing
 * @param inferenceNanos time spent in session runs
 */
@PublicEvolving
public record BatchStats(
        int texts,
        int sessionCalls,
        long realTokens,
        long computedTokens,
        long tokenizeNanos,
        long inferenceNanos) {

    /** Real tokens over computed tokens: 1.0 means no padding was computed. */
    public double paddingEfficiency() {
        return computedTokens == 0 ? 1.0 : (double) realTokens / computedTokens;
    }
}
