package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores of a multi-label task: every (example, label) pair is a binary decision.
 *
 * <p>Micro averages count every decision alike, so frequent labels dominate; macro-F1 averages the
 * labels' F1, each label counting once, over the labels that occur in the gold data (the same rule
 * as {@link ClassificationMetrics}). Subset accuracy is the share of examples whose predicted set
 * is exactly the gold set.
 *
 * @param labels the task's labels
 * @param perLabel precision, recall, F1 and support (gold examples) per label
 */
@Internal
public record MultiLabelMetrics(
        double microPrecision,
        double microRecall,
        double microF1,
        double macroF1,
        double subsetAccuracy,
        List<String> labels,
        Map<String, ClassificationMetrics.ClassMetrics> perLabel,
        int examples) {

    /**
     * @param labels the task's labels
     * @param gold gold label set per example
     * @param predicted predicted label set per example
     */
    public static MultiLabelMetrics compute(
            List<String> labels, List<Set<String>> gold, List<Set<String>> predicted) {
        int k = labels.size();
        int[] tp = new int[k];
        int[] fp = new int[k];
        int[] fn = new int[k];
        int exact = 0;
        for (int i = 0; i < gold.size(); i++) {
            Set<String> g = gold.get(i);
            Set<String> p = predicted.get(i);
            exact += g.equals(p) ? 1 : 0;
            for (int l = 0; l < k; l++) {
                boolean inGold = g.contains(labels.get(l));
                boolean inPredicted = p.contains(labels.get(l));
                tp[l] += inGold && inPredicted ? 1 : 0;
                fp[l] += !inGold && inPredicted ? 1 : 0;
                fn[l] += inGold && !inPredicted ? 1 : 0;
            }
        }
        Map<String, ClassificationMetrics.ClassMetrics> per = new LinkedHashMap<>();
        double macro = 0;
        int withSupport = 0;
        int tpSum = 0;
        int fpSum = 0;
        int fnSum = 0;
        for (int l = 0; l < k; l++) {
            double p = ratio(tp[l], tp[l] + fp[l]);
            double r = ratio(tp[l], tp[l] + fn[l]);
            double f1 = f1(p, r);
            int support = tp[l] + fn[l];
            per.put(labels.get(l), new ClassificationMetrics.ClassMetrics(p, r, f1, support));
            if (support > 0) {
                macro += f1;
                withSupport++;
            }
            tpSum += tp[l];
            fpSum += fp[l];
            fnSum += fn[l];
        }
        double microP = ratio(tpSum, tpSum + fpSum);
        double microR = ratio(tpSum, tpSum + fnSum);
        int n = gold.size();
        return new MultiLabelMetrics(
                microP,
                microR,
                f1(microP, microR),
                withSupport == 0 ? 0 : macro / withSupport,
                n == 0 ? 0 : (double) exact / n,
                List.copyOf(labels),
                per,
                n);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double f1(double p, double r) {
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** A Markdown report: summary line and per-label table. */
    public String toMarkdown(String task) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        "## %s%n%nexamples %d, multi-label: macro-F1 %.4f, micro-F1 %.4f (micro precision %.4f,"
                                + " recall %.4f), subset accuracy %.4f%n%n",
                        task,
                        examples,
                        macroF1,
                        microF1,
                        microPrecision,
                        microRecall,
                        subsetAccuracy));
        sb.append("| label | precision | recall | F1 | support |\n|---|---|---|---|---|\n");
        perLabel.forEach(
                (l, c) ->
                        sb.append(
                                String.format(
                                        "| %s | %.4f | %.4f | %.4f | %d |%n",
                                        l, c.precision(), c.recall(), c.f1(), c.support())));
        return sb.toString();
    }
}
