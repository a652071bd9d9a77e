package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;

/** Runs a bundle's task head over labeled examples and scores it. */
@Internal
public final class TaskEvaluator {

    private TaskEvaluator() {}

    /** Metrics of task {@code task} of the predictor's bundle on {@code examples}. */
    public static ClassificationMetrics evaluate(
            BatchPredictor predictor, String task, List<LabeledExample> examples) {
        BundleManifest.Task t = predictor.manifest().task(task);
        if (t == null) {
            throw new IllegalArgumentException(
                    "Model has no task '"
                            + task
                            + "'; it has "
                            + predictor.manifest().tasks().stream()
                                    .map(BundleManifest.Task::name)
                                    .toList());
        }
        List<String> gold = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        double[] confidence = new double[examples.size()];
        int chunk = 1024;
        for (int start = 0; start < examples.size(); start += chunk) {
            List<LabeledExample> part =
                    examples.subList(start, Math.min(examples.size(), start + chunk));
            List<Prediction> preds =
                    predictor
                            .predict(part.stream().map(LabeledExample::text).toList())
                            .predictions();
            for (int i = 0; i < part.size(); i++) {
                gold.add(part.get(i).label());
                predicted.add(preds.get(i).task(task).label());
                confidence[start + i] = preds.get(i).task(task).score();
            }
        }
        List<String> order = new ArrayList<>(t.labels());
        if (t.abstainLabel() != null) {
            order.add(t.abstainLabel());
        }
        return ClassificationMetrics.compute(order, gold, predicted, confidence);
    }
}
