package dev.bertstream.models.graph;

import java.util.Locale;

/** How the per-token hidden states become one sentence embedding. */
public enum Pooling {
    /**
     * Average over real (unmasked) tokens: what sentence-transformers models such as MiniLM are
     * trained with.
     */
    MEAN,
    /** The hidden state of the leading {@code [CLS]} token: what BGE models are trained with. */
    CLS,
    /**
     * Per-dimension maximum over real tokens: sentence-transformers' {@code
     * pooling_mode_max_tokens}.
     */
    MAX;

    /** Parses {@code mean} or {@code cls}, case-insensitively. */
    public static Pooling parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown pooling '" + value + "': use mean, cls or max");
        }
    }

    /** The lower-case name used in bundle.json and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
