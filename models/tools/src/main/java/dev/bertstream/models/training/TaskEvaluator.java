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
        return evaluate(predictor, task, examples, LabelMapping.IDENTITY);
    }

    /**
     * Metrics of single-label task {@code task} on {@code examples} whose gold labels are renamed,
     * and whose predictions are restricted, by {@code mapping}: a test set labeled differently from
     * the model (e.g. OLID's {@code offensive} for a head's {@code toxic}), or binary against a
     * three-class head.
     */
    public static ClassificationMetrics evaluate(
            BatchPredictor predictor,
            String task,
            List<LabeledExample> examples,
            LabelMapping mapping) {
        BundleManifest.Task t = task(predictor, task);
        mapping.check(task, t.labels());
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
                gold.add(mapping.gold(part.get(i).label()));
                predicted.add(mapping.predicted(preds.get(i).task(task)));
                confidence[start + i] = mapping.confidence(preds.get(i).task(task));
            }
        }
        List<String> order = new ArrayList<>();
        if (!mapping.restrictTo().isEmpty()) {
            order.addAll(mapping.restrictTo());
        } else {
            order.addAll(t.labels());
            if (t.abstainLabel() != null) {
                order.add(t.abstainLabel());
            }
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
