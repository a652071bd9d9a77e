package dev.bertstream.models.training.finetune;

import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.TaskData;
import dev.bertstream.models.training.TaskLabels;

import java.util.List;
import java.util.Map;

/**
 * One task's data, read, checked and tokenized once: the in-scope training examples with their
 * class indices, and every dev example (out-of-scope ones included, for abstain calibration).
 *
 * <p>A multi-label task trains on every example ({@code oos} ones carry no label) and has {@code
 * trainTargets} instead of class indices.
 *
 * @param trainY class index per training example (single-label tasks; empty for multi-label)
 * @param trainTargets multi-label tasks: 1/0 per training example and label; else {@code null}
 */
record FineTuneTask(
        TaskData data,
        TaskLabels labels,
        List<LabeledExample> train,
        List<TokenizedText> trainTokens,
        int[] trainY,
        float[][] trainTargets,
        List<LabeledExample> dev,
        List<TokenizedText> devTokens) {

    /** Reads and tokenizes {@code data}; fails naming file and line on bad data. */
    static FineTuneTask read(TaskData data, BertTokenizer tokenizer) {
        List<LabeledExample> allTrain = LabeledDatasetReader.read(data.train());
        List<LabeledExample> dev =
                data.dev() == null ? List.of() : LabeledDatasetReader.read(data.dev());
        TaskLabels labels = TaskLabels.of(data, allTrain, data.dev() == null ? null : dev);
        if (labels.multiLabel()) {
            boolean[][] y = labels.targets(allTrain);
            float[][] targets = new float[y.length][labels.labels().size()];
            for (int i = 0; i < y.length; i++) {
                for (int l = 0; l < y[i].length; l++) {
                    targets[i][l] = y[i][l] ? 1f : 0f;
                }
            }
            return new FineTuneTask(
                    data,
                    labels,
                    allTrain,
                    tokenizer.encodeBatch(texts(allTrain)),
                    new int[0],
                    targets,
                    dev,
                    tokenizer.encodeBatch(texts(dev)));
        }
        List<LabeledExample> train =
                allTrain.stream().filter(e -> labels.inScope(e.label())).toList();
        Map<String, Integer> index = labels.index();
        int[] y = train.stream().mapToInt(e -> index.get(e.label())).toArray();
        return new FineTuneTask(
                data,
                labels,
                train,
                tokenizer.encodeBatch(texts(train)),
                y,
                null,
                dev,
                tokenizer.encodeBatch(texts(dev)));
    }

    private static List<String> texts(List<LabeledExample> examples) {
        return examples.stream().map(LabeledExample::text).toList();
    }

    String name() {
        return data.name();
    }

    /** Token count of each training example. */
    int[] trainLengths() {
        return trainTokens.stream().mapToInt(TokenizedText::length).toArray();
    }
}
