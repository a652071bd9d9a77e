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
 */
record FineTuneTask(
        TaskData data,
        TaskLabels labels,
        List<LabeledExample> train,
        List<TokenizedText> trainTokens,
        int[] trainY,
        List<LabeledExample> dev,
        List<TokenizedText> devTokens) {

    /** Reads and tokenizes {@code data}; fails naming file and line on bad data. */
    static FineTuneTask read(TaskData data, BertTokenizer tokenizer) {
        List<LabeledExample> allTrain = LabeledDatasetReader.read(data.train());
        List<LabeledExample> dev =
                data.dev() == null ? List.of() : LabeledDatasetReader.read(data.dev());
        TaskLabels labels = TaskLabels.of(data, allTrain, data.dev() == null ? null : dev);
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
