package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The class labels of one task, read off its training file and checked against its dev file.
 * Examples labelled {@link #OUT_OF_SCOPE} are not a class: they calibrate the task's abstain
 * threshold instead.
 *
 * <p>A task is multi-label when any training example lists several labels comma-separated (e.g.
 * {@code anger,annoyance}): its head then scores every label independently (sigmoid) and its labels
 * are those named anywhere in the training file. In a multi-label task an {@code oos} example is
 * one with no label at all.
 *
 * @param task task name
 * @param labels in-scope labels, sorted (the head's output order)
 * @param hasOutOfScope whether train or dev has out-of-scope examples
 * @param multiLabel whether an example may carry several labels
 */
@Internal
public record TaskLabels(
        String task, List<String> labels, boolean hasOutOfScope, boolean multiLabel) {

    /**
     * The label that marks out-of-scope examples; it becomes the abstain label rather than a class.
     */
    public static final String OUT_OF_SCOPE = "oos";

    public TaskLabels {
        labels = List.copyOf(labels);
    }

    /** A single-label task. */
    public TaskLabels(String task, List<String> labels, boolean hasOutOfScope) {
        this(task, labels, hasOutOfScope, false);
    }

    /**
     * Collects the labels of {@code train} and checks {@code dev} (may be {@code null}) uses no
     * other.
     *
     * @throws DatasetFormatException naming the file and line of a dev label missing from train, or
     *     the training file when it has fewer than two labels
     */
    public static TaskLabels of(
            TaskData task, List<LabeledExample> train, List<LabeledExample> dev) {
        boolean multiLabel = train.stream().anyMatch(LabeledExample::hasSeveralLabels);
        TreeSet<String> labelSet = new TreeSet<>();
        boolean hasOos = false;
        for (LabeledExample e : train) {
            if (e.label().equals(OUT_OF_SCOPE)) {
                hasOos = true;
            } else if (multiLabel) {
                labelSet.addAll(e.labels());
            } else {
                labelSet.add(e.label());
            }
        }
        for (LabeledExample e : dev == null ? List.<LabeledExample>of() : dev) {
            if (e.label().equals(OUT_OF_SCOPE)) {
                hasOos = true;
                continue;
            }
            for (String label : multiLabel ? e.labels() : List.of(e.label())) {
                if (!labelSet.contains(label)) {
                    throw new DatasetFormatException(
                            e.file(),
                            e.line(),
                            "label '"
                                    + label
                                    + "' does not occur in the training file "
                                    + task.train());
                }
            }
        }
        if (labelSet.size() < 2) {
            throw new DatasetFormatException(
                    task.train(),
                    0,
                    "task '" + task.name() + "' needs at least two labels, found " + labelSet);
        }
        return new TaskLabels(task.name(), new ArrayList<>(labelSet), hasOos, multiLabel);
    }

    /**
     * The label sets of multi-label examples as 0/1 targets, one row per example, one column per
     * label in {@link #labels()} order (all zeros for an {@code oos} example).
     */
    public boolean[][] targets(List<LabeledExample> examples) {
        Map<String, Integer> index = index();
        boolean[][] y = new boolean[examples.size()][labels.size()];
        for (int n = 0; n < examples.size(); n++) {
            LabeledExample e = examples.get(n);
            if (e.label().equals(OUT_OF_SCOPE)) {
                continue;
            }
            for (String l : e.labels()) {
                Integer i = index.get(l);
                if (i != null) {
                    y[n][i] = true;
                }
            }
        }
        return y;
    }

    /** Label → class index. */
    public Map<String, Integer> index() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        return index;
    }

    /** Whether {@code label} is one of the classes (not out of scope). */
    public boolean inScope(String label) {
        return labels.contains(label);
    }
}
