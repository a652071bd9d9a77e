package dev.bertstream.models.training.distill;

import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which teacher layers a student keeps, and the student's starting weights: the teacher's
 * embeddings, and for student layer {@code i} (0-based) a copy of teacher layer {@code
 * round((i+1)·M/N) − 1}, i.e. every k-th layer ending with the last (layers 2, 4, 6 of a 6-layer
 * teacher for 3). Starting from the teacher's own layers rather than random ones is what lets a few
 * thousand steps of distillation suffice (Sanh et al., DistilBERT, 2019 take every other layer).
 */
@Internal
public final class StudentLayers {

    private StudentLayers() {}

    /**
     * For each of {@code studentLayers} student layers, the 0-based index of the teacher layer it
     * starts from.
     */
    public static List<Integer> teacherIndices(int teacherLayers, int studentLayers) {
        if (studentLayers < 1 || studentLayers > teacherLayers) {
            throw new IllegalArgumentException(
                    "--layers must be between 1 and the teacher's "
                            + teacherLayers
                            + " layers, got "
                            + studentLayers);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= studentLayers; i++) {
            out.add((int) Math.round((double) i * teacherLayers / studentLayers) - 1);
        }
        return out;
    }

    /**
     * The student encoder: {@code teacher}'s config with {@code indices.size()} layers, its
     * embeddings, and layer {@code i} copied from teacher layer {@code indices.get(i)}.
     */
    public static BertWeights student(BertWeights teacher, List<Integer> indices) {
        BertConfig t = teacher.config();
        if (t.isModernBert()) {
            throw new IllegalArgumentException(
                    "Distillation supports BERT-family encoders; this teacher is ModernBERT");
        }
        BertConfig c =
                new BertConfig(
                        t.vocabSize(),
                        t.hiddenSize(),
                        indices.size(),
                        t.numHeads(),
                        t.intermediateSize(),
                        t.maxPositions(),
                        t.typeVocabSize(),
                        t.layerNormEps(),
                        t.positionPaddingIdx(),
                        null);
        String layerPrefix = "encoder.layer.";
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, WeightTensor> e : teacher.tensors().entrySet()) {
            if (!e.getKey().startsWith(layerPrefix)) {
                tensors.put(e.getKey(), e.getValue());
            }
        }
        for (int i = 0; i < indices.size(); i++) {
            String from = layerPrefix + indices.get(i) + ".";
            for (Map.Entry<String, WeightTensor> e : teacher.tensors().entrySet()) {
                if (e.getKey().startsWith(from)) {
                    String suffix = e.getKey().substring(from.length());
                    tensors.put(BertWeights.layer(i, suffix), e.getValue());
                }
            }
        }
        return new BertWeights(c, tensors);
    }
}
