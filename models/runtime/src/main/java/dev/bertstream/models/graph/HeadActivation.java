package dev.bertstream.models.graph;

import java.util.Locale;

/**
 * How a task head turns its logits into scores: one distribution over the labels, or one
 * independent probability per label.
 */
public enum HeadActivation {
    /** Softmax over the labels: exactly one label applies ({@code single_label_classification}). */
    SOFTMAX,
    /** A sigmoid per label: any number of labels may apply ({@code multi_label_classification}). */
    SIGMOID;

    /** The lower-case name used in bundle.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code softmax} or {@code sigmoid}; {@code null} (an older bundle) is softmax. */
    public static HeadActivation parse(String value) {
        if (value == null) {
            return SOFTMAX;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown head activation '" + value + "': use softmax or sigmoid");
        }
    }
}
