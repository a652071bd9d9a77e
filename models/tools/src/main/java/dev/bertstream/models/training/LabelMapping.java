package dev.bertstream.models.training;

import dev.bertstream.models.inference.TaskPrediction;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a test set's labels meet a model's when they differ, for {@code models eval}: gold labels are
 * renamed ({@code offensive=toxic}; several gold labels may share one model label, e.g. Davidson's
 * {@code hate} and {@code offensive}), and predictions may be restricted to a subset of the model's
 * labels, the prediction being the most probable label of the subset. A binary test set scores a
 * three-class sentiment head with {@code negative,positive}: {@code neutral} is never predicted,
 * each text gets whichever of the two the model finds more probable.
 *
 * @param goldToModel gold label to model label; gold labels not listed stay as they are
 * @param restrictTo model labels predictions are restricted to; empty: every label, abstention
 *     included
 */
@Internal
public record LabelMapping(Map<String, String> goldToModel, List<String> restrictTo) {

    /** No renaming, no restriction. */
    public static final LabelMapping IDENTITY = new LabelMapping(Map.of(), List.of());

    public LabelMapping {
        goldToModel = Map.copyOf(goldToModel);
        restrictTo = List.copyOf(restrictTo);
    }

    /**
     * Parses {@code gold=model,gold=model} and {@code label,label}; either may be {@code null}.
     *
     * @throws IllegalArgumentException naming the malformed pair
     */
    public static LabelMapping parse(String labelMap, String labels) {
        Map<String, String> map = new LinkedHashMap<>();
        if (labelMap != null) {
            for (String pair : labelMap.split(",")) {
                String[] kv = pair.split("=", -1);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new IllegalArgumentException(
                            "--label-map entry '"
                                    + pair
                                    + "' is not GOLD=MODEL (e.g. offensive=toxic)");
                }
                if (map.put(kv[0].trim(), kv[1].trim()) != null) {
                    throw new IllegalArgumentException(
                            "--label-map maps '" + kv[0].trim() + "' twice");
                }
            }
        }
        List<String> subset = new ArrayList<>();
        if (labels != null) {
            for (String l : labels.split(",")) {
                if (!l.isBlank()) {
                    subset.add(l.trim());
                }
            }
        }
        return new LabelMapping(map, subset);
    }

    /** The model label a gold label stands for. */
    public String gold(String label) {
        return goldToModel.getOrDefault(label, label);
    }

    /** The predicted label: the model's own, or the most probable label of the subset. */
    public String predicted(TaskPrediction p) {
        if (restrictTo.isEmpty()) {
            return p.label();
        }
        String best = restrictTo.get(0);
        for (String l : restrictTo) {
            if (p.probability(l) > p.probability(best)) {
                best = l;
            }
        }
        return best;
    }

    /** Confidence of {@link #predicted}: its probability, renormalised over the subset. */
    public double confidence(TaskPrediction p) {
        if (restrictTo.isEmpty()) {
            return p.score();
        }
        double sum = 0;
        for (String l : restrictTo) {
            sum += p.probability(l);
        }
        return sum > 0 ? p.probability(predicted(p)) / sum : 1.0 / restrictTo.size();
    }

    /**
     * Fails when the restriction names a label the task does not have.
     *
     * @throws IllegalArgumentException naming the label and the task's labels
     */
    public void check(String task, Collection<String> modelLabels) {
        for (String l : restrictTo) {
            if (!modelLabels.contains(l)) {
                throw new IllegalArgumentException(
                        "--labels names '"
                                + l
                                + "', which task '"
                                + task
                                + "' does not have; it has "
                                + modelLabels);
            }
        }
    }
}
