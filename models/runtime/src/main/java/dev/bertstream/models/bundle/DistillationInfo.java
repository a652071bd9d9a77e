package dev.bertstream.models.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * How a distilled bundle was made, recorded in {@code bundle.json} under {@code distillation}: its
 * teacher, which teacher layers the student's layers started from, the training it had, and the
 * accuracy gate against the teacher. A bundle whose gate failed was written on request only, for
 * experiments; it must not be served.
 *
 * @param teacher the teacher bundle's {@code name version}
 * @param teacherManifestSha256 sha256 of the teacher's {@code bundle.json}
 * @param teacherLayerIndices for each student layer, the index {@code N} of the teacher's {@code
 *     encoder.layer.N} it was copied from (0-based)
 * @param texts unlabeled training texts
 * @param steps training steps (batches)
 * @param temperature softmax temperature of the soft targets
 * @param gate the accuracy gate's result
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@PublicEvolving
public record DistillationInfo(
        @JsonProperty("teacher") String teacher,
        @JsonProperty("teacher_manifest_sha256") String teacherManifestSha256,
        @JsonProperty("teacher_layer_indices") List<Integer> teacherLayerIndices,
        @JsonProperty("texts") int texts,
        @JsonProperty("steps") long steps,
        @JsonProperty("temperature") double temperature,
        @JsonProperty("gate") Gate gate) {

    public DistillationInfo {
        teacherLayerIndices = List.copyOf(teacherLayerIndices);
    }

    /**
     * The accuracy gate: on every dev set, the share of texts where the student's decision (label
     * or abstain) equals the teacher's, and the macro-F1 of both against the gold labels.
     *
     * @param passed whether every task reached {@code minAgreement} and lost at most {@code
     *     maxMacroF1Drop}
     * @param minAgreement required agreement, a fraction (0.995)
     * @param maxMacroF1Drop allowed macro-F1 loss, a fraction (0.005 = half a point)
     * @param tasks the measurements, one per dev set
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Gate(
            @JsonProperty("passed") boolean passed,
            @JsonProperty("min_agreement") double minAgreement,
            @JsonProperty("max_macro_f1_drop") double maxMacroF1Drop,
            @JsonProperty("tasks") List<GateTask> tasks) {

        public Gate {
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * The gate's measurement on one dev set.
     *
     * @param task task name
     * @param dev the dev file's name
     * @param examples dev texts
     * @param agreement share of texts with the teacher's decision
     * @param teacherMacroF1 the teacher's macro-F1 against the gold labels
     * @param studentMacroF1 the student's macro-F1 against the gold labels
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GateTask(
            @JsonProperty("task") String task,
            @JsonProperty("dev") String dev,
            @JsonProperty("examples") int examples,
            @JsonProperty("agreement") double agreement,
            @JsonProperty("teacher_macro_f1") double teacherMacroF1,
            @JsonProperty("student_macro_f1") double studentMacroF1) {}
}
