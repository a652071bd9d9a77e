package dev.bertstream.jobs.batching;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * Estimates the tokens a text will take without tokenizing it on the task thread: one token per CJK
 * character, one per four other characters, plus [CLS]/[SEP], capped at the model's max length (the
 * bundle's {@code max_seq_length}: the tokenizer truncates longer texts to exactly that length,
 * whether it keeps their start or their head and tail, so the cap holds for either truncation).
 */
@PublicEvolving
public final class TokenEstimator implements Serializable {

    private final int maxTokens;

    /** An estimator whose estimates never exceed {@code maxTokens}. */
    public TokenEstimator(int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("max tokens must be >= 2, got " + maxTokens);
        }
        this.maxTokens = maxTokens;
    }

    public int estimate(String text) {
        int cjk = 0;
        int other = 0;
        for (int i = 0; i < text.length() && cjk + other / 4 < maxTokens; i++) {
            char c = text.charAt(i);
            if (Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
                cjk++;
            } else {
                other++;
            }
        }
        return Math.min(maxTokens, 2 + cjk + (other + 3) / 4);
    }
}
