package dev.bertstream.jobs.sql;

import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One OUTPUT column of a bert-stream model and what of a {@link Prediction} it holds, as {@link
 * ModelSchemaCheck} matched it to the bundle.
 *
 * @param name the column's name
 * @param task the task it reads, or {@code null} for {@link Field#TOKENS} and {@link
 *     Field#TRUNCATED}
 * @param field what of the task's (or the text's) result the column holds
 * @param asFloat scores as FLOAT rather than DOUBLE
 */
@Internal
public record OutputColumn(String name, String task, Field field, boolean asFloat)
        implements Serializable {

    /** What a column holds. */
    public enum Field {
        /** {@code <task>} STRING: the predicted label. */
        LABEL,
        /** {@code <task>_score} DOUBLE or FLOAT: the top class's score. */
        SCORE,
        /** {@code <task>_scores} MAP&lt;STRING, DOUBLE or FLOAT&gt;: every class's score. */
        SCORES,
        /** {@code <task>_labels} ARRAY&lt;STRING&gt;: the assigned labels, highest score first. */
        LABELS,
        /** {@code tokens} INT: tokens fed to the encoder. */
        TOKENS,
        /** {@code truncated} BOOLEAN: whether the text was cut to the model's length. */
        TRUNCATED
    }

    /** The column's value in Flink's internal data structures. */
    Object value(Prediction p) {
        switch (field) {
            case TOKENS:
                return p.tokens();
            case TRUNCATED:
                return p.truncated();
            default:
                break;
        }
        TaskPrediction t = p.task(task);
        switch (field) {
            case LABEL:
                return StringData.fromString(t.label());
            case SCORE:
                return asFloat ? (Object) t.score() : (Object) (double) t.score();
            case SCORES:
                Map<Object, Object> scores = new LinkedHashMap<>();
                List<String> labels = t.labels();
                for (int i = 0; i < labels.size(); i++) {
                    float s = t.probabilities()[i];
                    scores.put(
                            StringData.fromString(labels.get(i)),
                            asFloat ? (Object) s : (Object) (double) s);
                }
                return new GenericMapData(scores);
            case LABELS:
                return new GenericArrayData(
                        t.assigned().stream().map(a -> StringData.fromString(a.label())).toArray());
            default:
                throw new IllegalStateException("unknown field " + field);
        }
    }
}
