package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Runs a bundle's task head over labeled examples and scores it. */
@Internal
public final class TaskEvaluator {

    private TaskEvaluator() {}

    /**
     * Metrics of single-label task {@code task} of the predictor's bundle on {@code examples}.
     *
     * @see #evaluateMultiLabel for a sigmoid task
     */
    public static ClassificationMetrics evaluate(
            BatchPredictor predictor, String task, List<LabeledExample> examples) {
        BundleManifest.Task t = task(predictor, task);
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

    /**
     * Metrics of multi-label task {@code task} on {@code examples}, whose label column lists the
     * gold labels comma-separated ({@code oos}: none); predicted are the labels at or above their
     * thresholds.
     */
    public static MultiLabelMetrics evaluateMultiLabel(
            BatchPredictor predictor, String task, List<LabeledExample> examples) {
        BundleManifest.Task t = task(predictor, task);
        List<Set<String>> gold = new ArrayList<>();
        List<Set<String>> predicted = new ArrayList<>();
        int chunk = 1024;
        for (int start = 0; start < examples.size(); start += chunk) {
            List<LabeledExample> part =
                    examples.subList(start, Math.min(examples.size(), start + chunk));
            List<Prediction> preds =
                    predictor
                            .predict(part.stream().map(LabeledExample::text).toList())
                            .predictions();
            for (int i = 0; i < part.size(); i++) {
                LabeledExample e = part.get(i);
                gold.add(
                        e.label().equals(TaskLabels.OUT_OF_SCOPE)
                                ? Set.of()
                                : new HashSet<>(e.labels()));
                Set<String> p = new HashSet<>();
                preds.get(i).task(task).assigned().forEach(a -> p.add(a.label()));
                predicted.add(p);
            }
        }
        return MultiLabelMetrics.compute(t.labels(), gold, predicted);
    }

    private static BundleManifest.Task task(BatchPredictor predictor, String task) {
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
        return t;
    }
}
