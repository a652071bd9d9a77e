package dev.bertstream.models.training.finetune;

import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.weights.WeightTensor;

import java.util.List;

/**
 * Places a head trained on the frozen encoder into the label order of the fine-tuning head, so
 * fine-tuning starts from it. Labels are matched by name, since the frozen trainer may have seen a
 * sample of the training file; a label it lacks keeps the fallback head's (random) column.
 */
final class WarmStart {

    private WarmStart() {}

    /**
     * {@code fallback} with every column whose label {@code trained} has replaced by that label's
     * trained kernel column and bias; fails when the heads' input widths differ.
     */
    static TaskHead reorder(TaskHead trained, TaskHead fallback) {
        long hidden = fallback.kernel().dim(0);
        if (trained.kernel().dim(0) != hidden || trained.hiddenLayer() != null) {
            throw new IllegalArgumentException(
                    "Warm start needs a linear head of width " + hidden + ", got " + trained);
        }
        List<String> labels = fallback.labels();
        int k = labels.size();
        int tk = trained.labels().size();
        float[] kernel = fallback.kernel().data().clone();
        float[] bias = fallback.bias().data().clone();
        for (int c = 0; c < k; c++) {
            int from = trained.labels().indexOf(labels.get(c));
            if (from < 0) {
                continue;
            }
            bias[c] = trained.bias().data()[from];
            for (int h = 0; h < hidden; h++) {
                kernel[h * k + c] = trained.kernel().data()[h * tk + from];
            }
        }
        return new TaskHead(
                fallback.name(),
                labels,
                new WeightTensor(fallback.kernel().shape(), kernel),
                new WeightTensor(fallback.bias().shape(), bias),
                fallback.activation());
    }
}
