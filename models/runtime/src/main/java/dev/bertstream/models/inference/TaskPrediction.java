package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one classification head for one text.
 *
 * <p>A softmax head assigns its top label, unless the top probability is below the task's abstain
 * threshold: then {@code label} is the abstain label and {@code assigned} is empty. A sigmoid
 * (multi-label) head assigns every label whose score reaches that label's threshold; {@code label}
 * is the highest-scoring assigned label, or {@link #NO_LABEL} when none reaches its threshold.
 *
 * @param label the predicted label; the task's abstain label (softmax) or {@link #NO_LABEL}
 *     (sigmoid) when the model assigns none
 * @param score score of the top class, whether or not it was assigned
 * @param labels all class labels in model order
 * @param probabilities probability (softmax) or independent score (sigmoid) of every class, aligned
 *     with {@code labels}
 * @param assigned the labels assigned, highest score first
 */
@PublicEvolving
public record TaskPrediction(
        String label,
        float score,
        List<String> labels,
        float[] probabilities,
        List<LabelScore> assigned) {

    /** The {@code label} of a multi-label prediction that assigns no label. */
    public static final String NO_LABEL = "";

    public TaskPrediction {
        assigned = List.copyOf(assigned);
    }

    /** A single-label prediction: {@code label} is assigned. */
    public TaskPrediction(String label, float score, List<String> labels, float[] probabilities) {
        this(label, score, labels, probabilities, List.of(new LabelScore(label, score)));
    }

    /** Probabilities by label, in model order. */
    public Map<String, Float> scores() {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), probabilities[i]);
        }
        return m;
    }

    /** Probability of {@code label}, or 0 when the task has no such class. */
    public float probability(String label) {
        int i = labels.indexOf(label);
        return i < 0 ? 0f : probabilities[i];
    }
}
