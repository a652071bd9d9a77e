package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the classification head of a {@code *ForSequenceClassification} checkpoint into a {@link
 * TaskHead} on the {@code [CLS]} embedding, so a fine-tuned checkpoint scores as it did where it
 * was trained: BERT's {@code pooler.dense} + tanh + {@code classifier}, RoBERTa's {@code
 * classifier.dense} + tanh + {@code classifier.out_proj}, DistilBERT's {@code pre_classifier} +
 * ReLU + {@code classifier}. Labels come from {@code id2label}, softmax or sigmoid from {@code
 * problem_type}.
 */
final class ClassifierHeadImporter {

    /**
     * The head found, or {@code null}, the tensor names it used, what was worth a warning, and the
     * pooling the head reads (CLS except for a mean-pooled ModernBERT classifier).
     */
    record Result(TaskHead head, List<String> used, List<String> warnings, Pooling pooling) {

        Result(TaskHead head, List<String> used, List<String> warnings) {
            this(head, used, warnings, Pooling.CLS);
        }
    }

    private ClassifierHeadImporter() {}

    /**
     * Looks for the head of {@code arch} among {@code tensors} (unprefixed PyTorch names).
     *
     * @param taskName the task name the head gets in the bundle
     */
    static Result read(
            CheckpointArchitecture arch,
            JsonNode config,
            Map<String, WeightTensor> tensors,
            String taskName) {
        String out;
        String hidden;
        Activation hiddenActivation;
        switch (arch) {
            case MODERNBERT:
                return modernBert(config, tensors, taskName);
            case DISTILBERT:
                out = "classifier";
                hidden = "pre_classifier";
                hiddenActivation = Activation.RELU;
                break;
            case ROBERTA:
            case XLM_ROBERTA:
                out = "classifier.out_proj";
                hidden = "classifier.dense";
                hiddenActivation = Activation.TANH;
                break;
            default:
                out = "classifier";
                hidden = "pooler.dense";
                hiddenActivation = Activation.TANH;
        }
        List<String> used = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        WeightTensor outWeight = tensors.get(out + ".weight");
        WeightTensor outBias = tensors.get(out + ".bias");
        if (outWeight == null || outBias == null) {
            return new Result(null, used, warnings);
        }
        used.add(out + ".weight");
        used.add(out + ".bias");
        WeightTensor hiddenWeight = tensors.get(hidden + ".weight");
        WeightTensor hiddenBias = tensors.get(hidden + ".bias");
        TaskHead.HiddenLayer hiddenLayer = null;
        if (hiddenWeight != null && hiddenBias != null) {
            used.add(hidden + ".weight");
            used.add(hidden + ".bias");
            hiddenLayer =
                    new TaskHead.HiddenLayer(
                            hiddenWeight.transpose2d(), hiddenBias, hiddenActivation);
        } else if (arch != CheckpointArchitecture.BERT) {
            throw new IllegalArgumentException(
                    "the classifier has '"
                            + out
                            + ".weight' but no '"
                            + hidden
                            + ".weight' before it");
        } else {
            warnings.add(
                    "The checkpoint has a classifier but no pooler: the head is applied to the"
                            + " [CLS] hidden state directly.");
        }
        return finish(
                config, taskName, used, warnings, outWeight.transpose2d(), outBias, hiddenLayer);
    }

    /**
     * Reads labels and problem type and builds the head on {@code outWeight} ({@code [hidden,
     * labels]} kernel), or drops it with a warning.
     */
    private static Result finish(
            JsonNode config,
            String taskName,
            List<String> used,
            List<String> warnings,
            WeightTensor outWeight,
            WeightTensor outBias,
            TaskHead.HiddenLayer hiddenLayer) {
        int numLabels = (int) outWeight.dim(1);
        String problem = config.path("problem_type").asText("");
        HeadActivation activation;
        switch (problem) {
            case "":
            case "single_label_classification":
                activation = HeadActivation.SOFTMAX;
                break;
            case "multi_label_classification":
                activation = HeadActivation.SIGMOID;
                break;
            default:
                warnings.add(
                        "Dropped the classifier ("
                                + String.join(", ", used)
                                + "): problem_type '"
                                + problem
                                + "' is not a classification this project runs");
                return new Result(null, List.of(), warnings);
        }
        if (numLabels < 2) {
            warnings.add(
                    "Dropped the classifier ("
                            + String.join(", ", used)
                            + "): it has "
                            + numLabels
                            + " output, a regression rather than a classification");
            return new Result(null, List.of(), warnings);
        }
        TaskHead head =
                new TaskHead(
                        taskName,
                        labels(config, numLabels),
                        outWeight,
                        outBias,
                        activation,
                        hiddenLayer);
        return new Result(head, used, warnings);
    }

    /**
     * ModernBERT's {@code head} (dense, {@code classifier_activation}, LayerNorm; bias-free by
     * default) and {@code classifier}, on the {@code classifier_pooling} embedding (cls or mean).
     */
    private static Result modernBert(
            JsonNode config, Map<String, WeightTensor> tensors, String taskName) {
        List<String> used = new ArrayList<>();
        WeightTensor outWeight = tensors.get("classifier.weight");
        WeightTensor dense = tensors.get("head.dense.weight");
        WeightTensor norm = tensors.get("head.norm.weight");
        if (outWeight == null || dense == null || norm == null) {
            return new Result(null, used, List.of());
        }
        int hidden = (int) dense.dim(0);
        int numLabels = (int) outWeight.dim(0);
        used.addAll(List.of("classifier.weight", "head.dense.weight", "head.norm.weight"));
        WeightTensor outBias = orZeros(tensors, "classifier.bias", numLabels, used);
        WeightTensor denseBias = orZeros(tensors, "head.dense.bias", hidden, used);
        WeightTensor normBias = orZeros(tensors, "head.norm.bias", hidden, used);
        Pooling pooling = Pooling.parse(config.path("classifier_pooling").asText("cls"));
        if (pooling == Pooling.MAX) {
            throw new IllegalArgumentException("classifier_pooling must be cls or mean");
        }
        TaskHead.HiddenLayer layer =
                new TaskHead.HiddenLayer(
                        dense.transpose2d(),
                        denseBias,
                        Activation.fromHuggingFace(
                                config.path("classifier_activation").asText("gelu")),
                        norm,
                        normBias,
                        config.path("norm_eps").asDouble(1e-5));
        Result plain =
                finish(
                        config,
                        taskName,
                        used,
                        new ArrayList<>(),
                        outWeight.transpose2d(),
                        outBias,
                        layer);
        return new Result(plain.head(), plain.used(), plain.warnings(), pooling);
    }

    private static WeightTensor orZeros(
            Map<String, WeightTensor> tensors, String name, int size, List<String> used) {
        WeightTensor t = tensors.get(name);
        if (t == null) {
            return new WeightTensor(new long[] {size}, new float[size]);
        }
        used.add(name);
        return t;
    }

    /** Labels in output order from {@code id2label}, or Hugging Face's {@code LABEL_i}. */
    static List<String> labels(JsonNode config, int numLabels) {
        JsonNode id2label = config.path("id2label");
        TreeMap<Integer, String> byId = new TreeMap<>();
        id2label.fields()
                .forEachRemaining(
                        e -> byId.put(Integer.parseInt(e.getKey()), e.getValue().asText()));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < numLabels; i++) {
            labels.add(byId.getOrDefault(i, "LABEL_" + i));
        }
        if (!byId.isEmpty() && (byId.size() != numLabels || byId.lastKey() != numLabels - 1)) {
            throw new IllegalArgumentException(
                    "config.json id2label has "
                            + byId.size()
                            + " labels but the classifier has "
                            + numLabels
                            + " outputs");
        }
        if (labels.stream().distinct().count() != labels.size()) {
            throw new IllegalArgumentException("config.json id2label repeats a label: " + labels);
        }
        return labels;
    }
}
