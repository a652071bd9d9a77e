package dev.bertstream.models.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * The accuracy gate a reduced-precision bundle passed before it was written, as recorded in
 * bundle.json ({@code precision_gate}): every task's labels against the float32 bundle's on dev
 * texts, abstain decisions included, within {@link GateLimits}.
 *
 * @param reference the float32 bundle compared against: {@code name version} and the sha256 of its
 *     bundle.json
 * @param minAgreement the least label agreement allowed, a fraction (0.995)
 * @param maxMacroF1Drop the largest macro-F1 drop allowed, a fraction (0.005 = half a point)
 * @param tasks the measurements, one per task and dev file
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@PublicEvolving
public record PrecisionGate(
        @JsonProperty("reference") String reference,
        @JsonProperty("min_agreement") double minAgreement,
        @JsonProperty("max_macro_f1_drop") double maxMacroF1Drop,
        @JsonProperty("tasks") List<TaskCheck> tasks) {

    public PrecisionGate {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }

    /** Whether every task is within both limits. */
    public boolean passed() {
        return tasks.stream().allMatch(t -> t.passes(minAgreement, maxMacroF1Drop));
    }

    /**
     * One task on one dev file.
     *
     * @param task task name
     * @param devFile the dev file's name
     * @param examples texts compared
     * @param agreement fraction of texts whose label (or abstain decision) equals float32's
     * @param referenceMacroF1 float32's macro-F1 on the gold labels, or {@code null} when the file
     *     has none for this task
     * @param macroF1 this bundle's macro-F1, or {@code null} likewise
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TaskCheck(
            @JsonProperty("task") String task,
            @JsonProperty("dev_file") String devFile,
            @JsonProperty("examples") int examples,
            @JsonProperty("agreement") double agreement,
            @JsonProperty("reference_macro_f1") Double referenceMacroF1,
            @JsonProperty("macro_f1") Double macroF1) {

        /** Float32's macro-F1 minus this bundle's (0 without gold labels). */
        public double macroF1Drop() {
            return referenceMacroF1 == null || macroF1 == null ? 0 : referenceMacroF1 - macroF1;
        }

        /** Whether this check is within the limits. */
        public boolean passes(double minAgreement, double maxMacroF1Drop) {
            return new GateLimits(minAgreement, maxMacroF1Drop).passes(agreement, macroF1Drop());
        }
    }
}
