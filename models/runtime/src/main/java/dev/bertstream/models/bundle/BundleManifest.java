package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.tokenizer.Truncation;
import dev.bertstream.models.weights.BertConfig;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.flink.annotation.PublicEvolving;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code bundle.json} manifest of a model bundle: what the model is, how to feed it, and the
 * sha256 of every file so a tampered or incomplete bundle is refused at load time.
 *
 * @param format manifest format version, {@link #CURRENT_FORMAT}
 * @param name model name, carried on every labeled event
 * @param version model version, carried on every labeled event so consumers see a roll-out
 * @param encoder where the encoder came from and its shape
 * @param maxSeqLength tokens per text, [CLS] and [SEP] included; longer texts are truncated
 * @param pooling {@code mean} or {@code cls}
 * @param truncation which tokens of a longer text are kept, {@code right} or {@code head-tail} (see
 *     {@link Truncation}); absent in bundles written before it was configurable, meaning right
 * @param tasks classification heads, in graph order
 * @param tokenizer path of the tokenizer file, relative to the bundle
 * @param savedModel path of the SavedModel directory, relative to the bundle
 * @param files sha256 (hex) of every file, by path relative to the bundle
 * @param precision the encoder's {@link Precision} ({@code int8}); absent means float32
 * @param precisionGate for a reduced-precision bundle, the accuracy gate it passed against its
 *     float32 source; absent otherwise
 * @param distillation how a distilled student was made and whether it passed its accuracy gate;
 *     {@code null} for other bundles
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
@PublicEvolving
public record BundleManifest(
        @JsonProperty("format") int format,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("encoder") Encoder encoder,
        @JsonProperty("max_seq_length") int maxSeqLength,
        @JsonProperty("pooling") String pooling,
        @JsonProperty("truncation") String truncation,
        @JsonProperty("tasks") List<Task> tasks,
        @JsonProperty("tokenizer") String tokenizer,
        @JsonProperty("saved_model") String savedModel,
        @JsonProperty("files") SortedMap<String, String> files,
        @JsonProperty("precision") String precision,
        @JsonProperty("precision_gate") PrecisionGate precisionGate,
        @JsonProperty("distillation") DistillationInfo distillation) {

    /** The manifest format this code writes and reads. */
    public static final int CURRENT_FORMAT = 1;

    @JsonCreator
    public BundleManifest {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        files = files == null ? new TreeMap<>() : new TreeMap<>(files);
        Precision.parse(precision);
    }

    /** A float32 manifest (no precision recorded). */
    public BundleManifest(
            int format,
            String name,
            String version,
            Encoder encoder,
            int maxSeqLength,
            String pooling,
            String truncation,
            List<Task> tasks,
            String tokenizer,
            String savedModel,
            SortedMap<String, String> files) {
        this(
                format,
                name,
                version,
                encoder,
                maxSeqLength,
                pooling,
                truncation,
                tasks,
                tokenizer,
                savedModel,
                files,
                null,
                null,
                null);
    }

    /** The encoder's precision (float32 when the manifest does not say). */
    public Precision precisionKind() {
        return Precision.parse(precision);
    }

    /** Returns a copy recording {@code gate}. */
    public BundleManifest withPrecisionGate(PrecisionGate gate) {
        return toBuilder().precisionGate(gate).build();
    }

    /** Returns a copy with the given file checksums. */
    public BundleManifest withFiles(Map<String, String> checksums) {
        return toBuilder().files(checksums).build();
    }

    /**
     * A builder with no field set but {@code format} ({@link #CURRENT_FORMAT}).
     *
     * <pre>{@code
     * BundleManifest m = BundleManifest.builder().name("chat").version("2").tasks(tasks).build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this manifest's fields, to make a copy that changes some of them. */
    public Builder toBuilder() {
        return new Builder()
                .format(format)
                .name(name)
                .version(version)
                .encoder(encoder)
                .maxSeqLength(maxSeqLength)
                .pooling(pooling)
                .truncation(truncation)
                .tasks(tasks)
                .tokenizer(tokenizer)
                .savedModel(savedModel)
                .files(files)
                .precision(precision)
                .precisionGate(precisionGate)
                .distillation(distillation);
    }

    /**
     * Builds a {@link BundleManifest} field by field; each setter takes the value of the record
     * component of the same name.
     */
    public static final class Builder {
        private int format = CURRENT_FORMAT;
        private String name;
        private String version;
        private Encoder encoder;
        private int maxSeqLength;
        private String pooling;
        private String truncation;
        private List<Task> tasks;
        private String tokenizer;
        private String savedModel;
        private SortedMap<String, String> files;
        private String precision;
        private PrecisionGate precisionGate;
        private DistillationInfo distillation;

        private Builder() {}

        public Builder format(int value) {
            format = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder encoder(Encoder value) {
            encoder = value;
            return this;
        }

        public Builder maxSeqLength(int value) {
            maxSeqLength = value;
            return this;
        }

        public Builder pooling(String value) {
            pooling = value;
            return this;
        }

        public Builder truncation(String value) {
            truncation = value;
            return this;
        }

        public Builder tasks(List<Task> value) {
            tasks = value;
            return this;
        }

        public Builder tokenizer(String value) {
            tokenizer = value;
            return this;
        }

        public Builder savedModel(String value) {
            savedModel = value;
            return this;
        }

        /** File checksums by relative path; {@code null} for none yet. */
        public Builder files(Map<String, String> value) {
            files = value == null ? null : new TreeMap<>(value);
            return this;
        }

        public Builder precision(String value) {
            precision = value;
            return this;
        }

        public Builder precisionGate(PrecisionGate value) {
            precisionGate = value;
            return this;
        }

        public Builder distillation(DistillationInfo value) {
            distillation = value;
            return this;
        }

        /**
         * The manifest.
         *
         * @throws IllegalArgumentException when {@code precision} names an unknown precision
         */
        public BundleManifest build() {
            return new BundleManifest(
                    format,
                    name,
                    version,
                    encoder,
                    maxSeqLength,
                    pooling,
                    truncation,
                    tasks,
                    tokenizer,
                    savedModel,
                    files,
                    precision,
                    precisionGate,
                    distillation);
        }
    }

    /**
     * How the tokenizer truncates long texts, at training and at serving time alike (right when the
     * manifest does not say).
     *
     * @throws IllegalArgumentException when the manifest names an unknown strategy
     */
    public Truncation truncationStrategy() {
        return Truncation.parse(truncation);
    }

    /** The task named {@code name}, or {@code null}. */
    public Task task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Where the encoder came from and its hyper-parameters.
     *
     * @param source e.g. {@code maven:dev.langchain4j:...:all-minilm-l6-v2.onnx} or a checkpoint
     *     path
     * @param config the encoder's shape
     * @param activation {@code gelu} or {@code gelu_tanh}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Encoder(
            @JsonProperty("source") String source,
            @JsonProperty("config") BertConfig config,
            @JsonProperty("activation") String activation) {}

    /**
     * One classification head.
     *
     * <p>A softmax head answers its top label, or {@code abstainLabel} below {@code
     * abstainThreshold}. A sigmoid (multi-label) head assigns every label whose score reaches its
     * entry of {@code thresholds}; it has no abstain label.
     *
     * @param name task name, e.g. {@code toxicity}
     * @param labels class labels in output order
     * @param abstainLabel label reported when the top probability is below {@code abstainThreshold}
     *     (e.g. {@code oos} for intents), or {@code null}
     * @param abstainThreshold calibrated minimum top probability, or {@code null}
     * @param activation {@code softmax} (one label per text) or {@code sigmoid} (independent
     *     per-label scores); absent in bundles written before heads could be sigmoid, meaning
     *     softmax
     * @param thresholds sigmoid heads: the minimum score of each label, aligned with {@code labels}
     *     (calibrated on dev for each label's F1); {@code null} for softmax heads
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Task(
            @JsonProperty("name") String name,
            @JsonProperty("labels") List<String> labels,
            @JsonProperty("abstain_label") String abstainLabel,
            @JsonProperty("abstain_threshold") Double abstainThreshold,
            @JsonProperty("activation") String activation,
            @JsonProperty("thresholds") List<Double> thresholds) {

        /** A softmax task. */
        public Task(
                String name, List<String> labels, String abstainLabel, Double abstainThreshold) {
            this(name, labels, abstainLabel, abstainThreshold, null, null);
        }

        @JsonCreator
        public Task {
            labels = List.copyOf(labels);
            HeadActivation.parse(activation);
            thresholds = thresholds == null ? null : List.copyOf(thresholds);
            if (thresholds != null && thresholds.size() != labels.size()) {
                throw new IllegalArgumentException(
                        "Task '"
                                + name
                                + "' has "
                                + thresholds.size()
                                + " thresholds for "
                                + labels.size()
                                + " labels");
            }
        }

        /** A sigmoid (multi-label) task with one threshold per label. */
        public static Task multiLabel(String name, List<String> labels, List<Double> thresholds) {
            return new Task(name, labels, null, null, HeadActivation.SIGMOID.id(), thresholds);
        }

        /** How this head scores its labels (softmax when the manifest does not say). */
        public HeadActivation headActivation() {
            return HeadActivation.parse(activation);
        }

        /** Whether this head assigns any number of labels (sigmoid) rather than one (softmax). */
        public boolean multiLabel() {
            return headActivation() == HeadActivation.SIGMOID;
        }

        /**
         * The minimum score of label {@code i} of a multi-label head: its calibrated threshold, or
         * 0.5 when the manifest has none.
         */
        public double threshold(int i) {
            return thresholds == null ? 0.5 : thresholds.get(i);
        }
    }
}
