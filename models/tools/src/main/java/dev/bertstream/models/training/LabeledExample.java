package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One training or evaluation example, with where it was read from (for error messages).
 *
 * @param label the label column as written; a multi-label example lists its labels comma-separated,
 *     e.g. {@code anger,annoyance}
 */
@Internal
public record LabeledExample(String text, String label, Path file, long line) {

    /** Separates the labels of a multi-label example in the label column. */
    public static final String LABEL_SEPARATOR = ",";

    /** Whether the label column lists more than one label. */
    public boolean hasSeveralLabels() {
        return label.contains(LABEL_SEPARATOR);
    }

    /**
     * The labels of the label column, split at commas and stripped (one element for a single-label
     * example).
     */
    public List<String> labels() {
        return Arrays.stream(label.split(LABEL_SEPARATOR))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .distinct()
                .toList();
    }
}
