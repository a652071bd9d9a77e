package dev.bertstream.models.tokenizer;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Locale;

/**
 * Which tokens of a text longer than the max length are kept: the first ones, or the first and the
 * last. Either way the result has exactly the max length, so lengths, masks and token estimates do
 * not depend on the strategy.
 */
@PublicEvolving
public enum Truncation {
    /** Keeps the first tokens and drops the end (BERT's and Hugging Face's default). */
    RIGHT("right"),
    /**
     * Keeps about a quarter of the budget from the start of the text and the rest from its end, and
     * drops the middle: reviews and complaints tend to state their verdict at the end (Sun et al.
     * 2019, "How to Fine-Tune BERT for Text Classification?").
     */
    HEAD_TAIL("head-tail");

    /**
     * Head share of the token budget: Sun et al. found head 128 + tail 382 of 510 tokens best on
     * long IMDb and Yelp reviews, better than head-only or tail-only. Taking the same fraction at
     * any max length reproduces their split exactly at 512 tokens (510 without [CLS]/[SEP]) and
     * keeps the tail the larger part at short lengths (16 + 46 at 64 tokens).
     */
    static final double HEAD_SHARE = 128.0 / 510.0;

    private final String id;

    Truncation(String id) {
        this.id = id;
    }

    /** The name used in bundle.json and on the command line: {@code right} or {@code head-tail}. */
    public String id() {
        return id;
    }

    /** Of {@code budget} kept content tokens, how many come from the start of the text. */
    int headTokens(int budget) {
        return this == RIGHT ? budget : (int) Math.round(budget * HEAD_SHARE);
    }

    /**
     * Parses {@code right} or {@code head-tail} (case-insensitive, {@code head_tail} too); {@code
     * null} (a bundle written before truncation was configurable) is {@link #RIGHT}.
     */
    public static Truncation parse(String value) {
        if (value == null) {
            return RIGHT;
        }
        String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Truncation t : values()) {
            if (t.id.equals(v)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "Unknown truncation '" + value + "': use right or head-tail");
    }

    @Override
    public String toString() {
        return id;
    }
}
