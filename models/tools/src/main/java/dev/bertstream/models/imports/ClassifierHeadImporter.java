package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.HeadActivation;
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

    /** The head found, or {@code null}, the tensor names it used, and what was worth a warning. */
    record Result(TaskHead head, List<String> used, List<String> warnings) {}

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
                if (tensors.containsKey("classifier.weight")) {
                    // ModernBertPredictionHead adds a LayerNorm and may pool by mean: not mapped
                    // yet.
                    return new Result(
                            null,
                            List.of(),
                            List.of(
                                    "ModernBERT classification heads (head.*, classifier.*) are"
                                            + " not imported yet: the bundle is the encoder only"));
                }
                return new Result(null, List.of(), List.of());
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
        int numLabels = (int) outWeight.dim(0);
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
                        outWeight.transpose2d(),
                        outBias,
                        activation,
                        hiddenLayer);
        return new Result(head, used, warnings);
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
