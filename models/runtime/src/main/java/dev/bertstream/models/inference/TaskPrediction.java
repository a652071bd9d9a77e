package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one classification head for one text.
 *
 * <p>For a softmax head the probabilities sum to one; for a sigmoid (multi-label) head each is the
 * label's own independent score. Either way {@code label} is the top-scoring label: multi-label
 * heads have no per-label thresholds yet, so they still predict one label.
 *
 * @param label the predicted label, or the task's abstain label when the top probability is below
 *     its threshold
 * @param score probability of the top class
 * @param labels all class labels in model order
 * @param probabilities probability (softmax) or independent score (sigmoid) of every class, aligned
 *     with {@code labels}
 */
@PublicEvolving
public record TaskPrediction(
        String label, float score, List<String> labels, float[] probabilities) {

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
