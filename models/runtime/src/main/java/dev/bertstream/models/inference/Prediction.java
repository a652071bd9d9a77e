package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Map;

/**
 * Everything the model says about one text.
 *
 * @param tasks per-task result, by task name, in model order
 * @param tokens tokens fed to the encoder, [CLS] and [SEP] included
 * @param truncated whether the text was longer than the model's max sequence length and was cut
 * @param embedding the pooled sentence embedding, or {@code null} when not requested
 */
@PublicEvolving
public record Prediction(
        Map<String, TaskPrediction> tasks, int tokens, boolean truncated, float[] embedding) {

    /** The result of task {@code name}; fails naming the task when the model has no such head. */
    public TaskPrediction task(String name) {
        TaskPrediction p = tasks.get(name);
        if (p == null) {
            throw new IllegalArgumentException(
                    "Model has no task '" + name + "'; it has " + tasks.keySet());
        }
        return p;
    }
}
