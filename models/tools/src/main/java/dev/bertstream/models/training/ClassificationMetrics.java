package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, macro/weighted F1, per-class precision/recall/F1, confusion matrix and expected
 * calibration error of one task's predictions.
 *
 * @param labels class order of the matrix (gold rows, predicted columns); may include an abstain
 *     label
 * @param confusion counts, {@code confusion[gold][predicted]}
 * @param perClass precision, recall, F1 and support per label
 * @param expectedCalibrationError ECE over 10 equal-width confidence bins
 */
@Internal
public record ClassificationMetrics(
        double accuracy,
        double macroF1,
        double weightedF1,
        List<String> labels,
        int[][] confusion,
        Map<String, ClassMetrics> perClass,
        double expectedCalibrationError,
        int examples) {

    /** Precision, recall, F1 and support of one class. */
    public record ClassMetrics(double precision, double recall, double f1, int support) {}

    /**
     * @param gold gold label per example
     * @param predicted predicted label per example
     * @param confidence probability the model gave its prediction, per example
     */
    public static ClassificationMetrics compute(
            List<String> labelOrder,
            List<String> gold,
            List<String> predicted,
            double[] confidence) {
        List<String> labels = new ArrayList<>(labelOrder);
        for (List<String> source : List.of(gold, predicted)) {
            for (String l : source) {
                if (!labels.contains(l)) {
                    labels.add(l);
                }
            }
        }
        int k = labels.size();
        int[][] m = new int[k][k];
        int correct = 0;
        for (int i = 0; i < gold.size(); i++) {
            m[labels.indexOf(gold.get(i))][labels.indexOf(predicted.get(i))]++;
            correct += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
        }
        Map<String, ClassMetrics> per = new LinkedHashMap<>();
        double macro = 0;
        double weighted = 0;
        int withSupport = 0;
        for (int c = 0; c < k; c++) {
            int tp = m[c][c];
            int predictedC = 0;
            int support = 0;
            for (int r = 0; r < k; r++) {
                predictedC += m[r][c];
                support += m[c][r];
            }
            double p = predictedC == 0 ? 0 : (double) tp / predictedC;
            double r = support == 0 ? 0 : (double) tp / support;
            double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
            per.put(labels.get(c), new ClassMetrics(p, r, f1, support));
            if (support > 0) {
                macro += f1;
                weighted += f1 * support;
                withSupport++;
            }
        }
        int n = gold.size();
        return new ClassificationMetrics(
                n == 0 ? 0 : (double) correct / n,
                withSupport == 0 ? 0 : macro / withSupport,
                n == 0 ? 0 : weighted / n,
                labels,
                m,
                per,
                ece(gold, predicted, confidence),
                n);
    }

    private static double ece(List<String> gold, List<String> predicted, double[] confidence) {
        int bins = 10;
        double[] conf = new double[bins];
        double[] acc = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < gold.size(); i++) {
            int b = Math.min(bins - 1, (int) (confidence[i] * bins));
            conf[b] += confidence[i];
            acc[b] += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
            count[b]++;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += Math.abs(acc[b] / count[b] - conf[b] / count[b]) * count[b] / gold.size();
            }
        }
        return ece;
    }

    /** A Markdown report: summary line, per-class table, confusion matrix. */
    public String toMarkdown(String task) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "## %s%n%nexamples %d, accuracy %.4f, macro-F1 %.4f, weighted-F1 %.4f, ECE %.4f%n%n",
                        task, examples, accuracy, macroF1, weightedF1, expectedCalibrationError));
        sb.append("| label | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        perClass.forEach(
                (l, c) ->
                        sb.append(
                                String.format(
                                        "| %s | %.4f | %.4f | %.4f | %d |%n",
                                        l, c.precision(), c.recall(), c.f1(), c.support())));
        sb.append("\nConfusion matrix (rows gold, columns predicted):\n\n| |");
        labels.forEach(l -> sb.append(' ').append(l).append(" |"));
        sb.append("\n|---|").append("---|".repeat(labels.size())).append('\n');
        for (int r = 0; r < labels.size(); r++) {
            sb.append("| ").append(labels.get(r)).append(" |");
            for (int c = 0; c < labels.size(); c++) {
                sb.append(' ').append(confusion[r][c]).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
