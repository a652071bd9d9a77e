package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;

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
        return score(t, examples, predictions(predictor, task, examples), mapping);
    }

    /** Task {@code task}'s prediction for every example, in order. */
    public static List<TaskPrediction> predictions(
            BatchPredictor predictor, String task, List<LabeledExample> examples) {
        task(predictor, task);
        List<TaskPrediction> out = new ArrayList<>();
        int chunk = 1024;
        for (int start = 0; start < examples.size(); start += chunk) {
            List<LabeledExample> part =
                    examples.subList(start, Math.min(examples.size(), start + chunk));
            for (Prediction p :
                    predictor
                            .predict(part.stream().map(LabeledExample::text).toList())
                            .predictions()) {
                out.add(p.task(task));
            }
        }
        return out;
    }

    /**
     * Metrics of single-label task {@code t}'s {@code predictions} (aligned with {@code examples})
     * against their gold labels, renamed and restricted by {@code mapping}.
     */
    public static ClassificationMetrics score(
            BundleManifest.Task t,
            List<LabeledExample> examples,
            List<TaskPrediction> predictions,
            LabelMapping mapping) {
        List<String> gold = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        double[] confidence = new double[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            gold.add(mapping.gold(examples.get(i).label()));
            predicted.add(mapping.predicted(predictions.get(i)));
            confidence[i] = mapping.confidence(predictions.get(i));
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
