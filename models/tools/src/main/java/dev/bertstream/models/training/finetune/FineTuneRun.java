package dev.bertstream.models.training.finetune;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.BatchPlanner;
import dev.bertstream.models.inference.PaddedBatch;
import dev.bertstream.models.inference.TopClass;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.training.AbstainCalibrator;
import dev.bertstream.models.training.ClassificationMetrics;
import dev.bertstream.models.training.LabelThresholdCalibrator;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.MultiLabelMetrics;
import dev.bertstream.models.training.TaskLabels;
import dev.bertstream.models.training.TemperatureScaling;
import dev.bertstream.models.training.TrainingProgress;
import dev.bertstream.models.weights.WeightTensor;

import me.tongfei.progressbar.ProgressBar;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The training loop of one fine-tuning: epochs of steps, dev scoring, the best checkpoint and early
 * stopping.
 */
final class FineTuneRun {

    private final FineTuneGraph graph;
    private final List<FineTuneTask> data;
    private final FineTuneOptions options;
    private final PrintStream log;
    private final List<FineTuneReport.Point> curve = new ArrayList<>();
    private Map<String, float[][]> bestDevProbabilities;
    private Map<String, DevScore> bestDevMetrics;
    private Map<String, WeightTensor> bestWeights;
    private final Map<String, FineTuneReport.Calibration> calibrations = new LinkedHashMap<>();
    private double bestScore = Double.NEGATIVE_INFINITY;
    private double bestEpoch;
    private long examples;
    private double trainSeconds;

    FineTuneRun(
            FineTuneGraph graph,
            List<FineTuneTask> data,
            FineTuneOptions options,
            PrintStream log) {
        this.graph = graph;
        this.data = data;
        this.options = options;
        this.log = log;
    }

    /**
     * Trains; with {@code scoreStart} the starting point (warm-started heads on the pretrained
     * encoder) is scored first and is itself a checkpoint candidate, so fine-tuning never writes a
     * model that is worse on dev than the frozen heads it started from.
     */
    void trainAll(boolean scoreStart) {
        List<int[]> lengths = data.stream().map(FineTuneTask::trainLengths).toList();
        int perEpoch = TrainingBatches.count(lengths, options.batchSize());
        long total = (long) perEpoch * options.epochs();
        int evalEvery = Math.max(1, (int) Math.ceil((double) perEpoch / options.evalsPerEpoch()));
        boolean hasDev = data.stream().anyMatch(t -> !t.dev().isEmpty());
        Random random = new Random(options.seed());
        long step = 0;
        int sinceBest = 0;
        long startNanos = System.nanoTime();
        if (scoreStart && hasDev) {
            evaluate(0, 0, Double.NaN, true);
        }
        try (ProgressBar pb = TrainingProgress.bar(log, "Fine-tuning", total, " steps")) {
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                List<TrainingBatches.Batch> batches =
                        TrainingBatches.plan(lengths, options.batchSize(), random);
                double lossSum = 0;
                int lossCount = 0;
                for (int b = 0; b < batches.size(); b++) {
                    TrainingBatches.Batch batch = batches.get(b);
                    FineTuneTask task = data.get(batch.task());
                    int n = batch.examples().length;
                    PaddedBatch padded = PaddedBatch.of(task.trainTokens(), batch.examples());
                    double lr = options.learningRateAt(step, total);
                    float loss;
                    if (task.trainTargets() != null) {
                        float[][] y = new float[n][];
                        for (int i = 0; i < n; i++) {
                            y[i] = task.trainTargets()[batch.examples()[i]];
                        }
                        loss = graph.step(task.name(), padded, y, lr);
                    } else {
                        int[] y = new int[n];
                        for (int i = 0; i < n; i++) {
                            y[i] = task.trainY()[batch.examples()[i]];
                        }
                        loss = graph.step(task.name(), padded, y, lr);
                    }
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException(
                                "Training diverged at step "
                                        + step
                                        + " (loss "
                                        + loss
                                        + "): lower --lr");
                    }
                    lossSum += loss;
                    lossCount++;
                    examples += n;
                    step++;
                    pb.step();
                    double seconds = (System.nanoTime() - startNanos) / 1e9;
                    pb.setExtraMessage(
                            String.format(
                                    "epoch %d loss %.4f %.0f ex/s",
                                    epoch + 1, lossSum / lossCount, examples / seconds));
                    boolean last = b == batches.size() - 1;
                    if ((b + 1) % evalEvery == 0 || last) {
                        double epochs = epoch + (b + 1.0) / batches.size();
                        trainSeconds = (System.nanoTime() - startNanos) / 1e9;
                        boolean improved = evaluate(step, epochs, lossSum / lossCount, hasDev);
                        lossSum = 0;
                        lossCount = 0;
                        sinceBest = improved ? 0 : sinceBest + 1;
                        if (hasDev && sinceBest >= options.patience() * options.evalsPerEpoch()) {
                            pb.stepTo(total);
                            log.printf(
                                    "Stopping early: no dev improvement in %d epochs%n",
                                    options.patience());
                            return;
                        }
                    }
                }
            }
        }
    }

    /** Scores dev, records the point, keeps the checkpoint if best; returns whether it improved. */
    private boolean evaluate(long step, double epochs, double trainLoss, boolean hasDev) {
        Map<String, float[][]> probabilities = predictDev();
        Map<String, DevScore> metrics = new LinkedHashMap<>();
        double score = 0;
        for (FineTuneTask t : data) {
            if (!t.dev().isEmpty()) {
                DevScore m =
                        t.labels().multiLabel()
                                ? multiLabelMetrics(t, probabilities.get(t.name()))
                                : DevScore.of(inScopeMetrics(t, probabilities.get(t.name())));
                metrics.put(t.name(), m);
                score += m.macroF1() / data.size();
            }
        }
        FineTuneReport.Point point =
                new FineTuneReport.Point(
                        step, epochs, trainLoss, metrics.isEmpty() ? Double.NaN : score);
        curve.add(point);
        log.println();
        log.print(point.describe());
        // Ties go to the later checkpoint: it has seen more data.
        boolean improved = !hasDev || score >= bestScore;
        if (improved) {
            bestScore = score;
            bestEpoch = epochs;
            bestDevProbabilities = probabilities;
            bestDevMetrics = metrics;
            bestWeights = graph.snapshot();
        }
        return improved && hasDev;
    }

    /**
     * Dev-set class probabilities of every task, in dev order: task → {@code [examples][classes]}.
     */
    private Map<String, float[][]> predictDev() {
        Map<String, float[][]> out = new LinkedHashMap<>();
        BatchPlanner planner = new BatchPlanner(128, 128 * 64, true);
        for (FineTuneTask t : data) {
            List<TokenizedText> tokens = t.devTokens();
            float[][] probs = new float[tokens.size()][];
            for (int[] batch :
                    planner.plan(tokens.stream().mapToInt(TokenizedText::length).toArray())) {
                float[][] p = graph.predict(PaddedBatch.of(tokens, batch)).get(t.name());
                for (int r = 0; r < batch.length; r++) {
                    probs[batch[r]] = p[r];
                }
            }
            out.put(t.name(), probs);
        }
        return out;
    }

    /**
     * One task's dev score at a checkpoint.
     *
     * @param accuracy single-label: in-scope accuracy; multi-label: subset accuracy
     * @param thresholds multi-label: the per-label thresholds calibrated on this dev set (each
     *     label's F1), at which {@code macroF1} is measured; else {@code null}
     */
    private record DevScore(double accuracy, double macroF1, double[] thresholds) {
        static DevScore of(ClassificationMetrics m) {
            return new DevScore(m.accuracy(), m.macroF1(), null);
        }
    }

    /** Multi-label dev metrics at per-label thresholds calibrated on the same dev set. */
    private static DevScore multiLabelMetrics(FineTuneTask t, float[][] probabilities) {
        List<String> labels = t.labels().labels();
        boolean[][] gold = t.labels().targets(t.dev());
        double[][] p = new double[probabilities.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[labels.size()];
            for (int l = 0; l < labels.size(); l++) {
                p[i][l] = probabilities[i][l];
            }
        }
        double[] thresholds = LabelThresholdCalibrator.calibrate(p, gold);
        List<Set<String>> goldSets = new ArrayList<>();
        List<Set<String>> predicted = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            Set<String> g = new HashSet<>();
            Set<String> pr = new HashSet<>();
            for (int l = 0; l < labels.size(); l++) {
                if (gold[i][l]) {
                    g.add(labels.get(l));
                }
                if (p[i][l] >= thresholds[l]) {
                    pr.add(labels.get(l));
                }
            }
            goldSets.add(g);
            predicted.add(pr);
        }
        MultiLabelMetrics m = MultiLabelMetrics.compute(labels, goldSets, predicted);
        return new DevScore(m.subsetAccuracy(), m.macroF1(), thresholds);
    }

    /** Metrics on the in-scope dev examples, predicting the top class (no abstaining). */
    private static ClassificationMetrics inScopeMetrics(FineTuneTask t, float[][] probabilities) {
        List<String> gold = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        List<Double> confidence = new ArrayList<>();
        List<String> labels = t.labels().labels();
        for (int i = 0; i < t.dev().size(); i++) {
            LabeledExample e = t.dev().get(i);
            if (t.labels().inScope(e.label())) {
                int top = TopClass.of(probabilities[i]);
                gold.add(e.label());
                predicted.add(labels.get(top));
                confidence.add((double) probabilities[i][top]);
            }
        }
        return ClassificationMetrics.compute(
                labels,
                gold,
                predicted,
                confidence.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * Fits one temperature per task with a dev set on the kept checkpoint's dev probabilities
     * (in-scope examples; multi-label: every label), logs the calibration error before and after,
     * and rescales the kept dev probabilities and per-label thresholds so that abstain and label
     * thresholds hold for the rescaled head. Returns task → temperature (1 without dev).
     */
    Map<String, Double> calibrateTemperatures() {
        Map<String, Double> temperatures = new LinkedHashMap<>();
        for (FineTuneTask t : data) {
            float[][] p = bestDevProbabilities == null ? null : bestDevProbabilities.get(t.name());
            if (p == null || p.length == 0) {
                temperatures.put(t.name(), 1.0);
                continue;
            }
            FineTuneReport.Calibration c =
                    t.labels().multiLabel() ? calibrateSigmoid(t, p) : calibrateSoftmax(t, p);
            calibrations.put(t.name(), c);
            temperatures.put(t.name(), c.temperature());
            log.print(c.describe(t.name()));
        }
        return temperatures;
    }

    private FineTuneReport.Calibration calibrateSoftmax(FineTuneTask t, float[][] p) {
        List<float[]> inScope = new ArrayList<>();
        List<Integer> gold = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            String label = t.dev().get(i).label();
            if (t.labels().inScope(label)) {
                inScope.add(p[i]);
                gold.add(t.labels().index().get(label));
            }
        }
        float[][] x = inScope.toArray(float[][]::new);
        int[] y = gold.stream().mapToInt(Integer::intValue).toArray();
        double temperature = TemperatureScaling.fitSoftmax(x, y);
        double nllBefore = x.length == 0 ? Double.NaN : TemperatureScaling.softmaxNll(x, y, 1);
        double eceBefore = TemperatureScaling.expectedCalibrationError(x, y);
        for (int i = 0; i < p.length; i++) {
            p[i] = TemperatureScaling.softmax(p[i], temperature);
        }
        float[][] scaled = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            scaled[i] = TemperatureScaling.softmax(x[i], temperature);
        }
        return new FineTuneReport.Calibration(
                temperature,
                nllBefore,
                x.length == 0 ? Double.NaN : TemperatureScaling.softmaxNll(x, y, temperature),
                eceBefore,
                TemperatureScaling.expectedCalibrationError(scaled, y),
                false);
    }

    private FineTuneReport.Calibration calibrateSigmoid(FineTuneTask t, float[][] p) {
        boolean[][] gold = t.labels().targets(t.dev());
        double temperature = TemperatureScaling.fitSigmoid(p, gold);
        double nllBefore = TemperatureScaling.sigmoidNll(p, gold, 1);
        double eceBefore = TemperatureScaling.binaryCalibrationError(p, gold);
        for (float[] row : p) {
            for (int l = 0; l < row.length; l++) {
                row[l] = (float) TemperatureScaling.sigmoid(row[l], temperature);
            }
        }
        // The same decisions: p >= threshold exactly when the rescaled p >= rescaled threshold.
        DevScore m = bestDevMetrics.get(t.name());
        if (m != null && m.thresholds() != null) {
            double[] th = m.thresholds();
            for (int l = 0; l < th.length; l++) {
                th[l] = TemperatureScaling.sigmoid(th[l], temperature);
            }
        }
        return new FineTuneReport.Calibration(
                temperature,
                nllBefore,
                TemperatureScaling.sigmoidNll(p, gold, 1),
                eceBefore,
                TemperatureScaling.binaryCalibrationError(p, gold),
                true);
    }

    Map<String, WeightTensor> bestWeights() {
        return bestWeights;
    }

    /**
     * Per task, its labels and, when its dev set has out-of-scope examples, the calibrated abstain
     * threshold.
     */
    List<BundleManifest.Task> taskSettings() {
        List<BundleManifest.Task> settings = new ArrayList<>();
        for (FineTuneTask t : data) {
            if (t.labels().multiLabel()) {
                DevScore m = bestDevMetrics == null ? null : bestDevMetrics.get(t.name());
                List<Double> thresholds =
                        m == null
                                ? Collections.nCopies(
                                        t.labels().labels().size(),
                                        LabelThresholdCalibrator.DEFAULT_THRESHOLD)
                                : Arrays.stream(m.thresholds()).boxed().toList();
                settings.add(
                        BundleManifest.Task.multiLabel(t.name(), t.labels().labels(), thresholds));
                continue;
            }
            Double threshold = abstainThreshold(t);
            settings.add(
                    new BundleManifest.Task(
                            t.name(),
                            t.labels().labels(),
                            threshold == null ? null : TaskLabels.OUT_OF_SCOPE,
                            threshold));
        }
        return settings;
    }

    private Double abstainThreshold(FineTuneTask t) {
        boolean devHasOos = t.dev().stream().anyMatch(e -> !t.labels().inScope(e.label()));
        if (!devHasOos) {
            return null;
        }
        float[][] p = bestDevProbabilities.get(t.name());
        double[][] probabilities = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            probabilities[i] = new double[p[i].length];
            for (int c = 0; c < p[i].length; c++) {
                probabilities[i][c] = p[i][c];
            }
        }
        return AbstainCalibrator.calibrate(t.dev(), t.labels().index(), probabilities);
    }

    /**
     * @param settings what {@link #taskSettings} returned (abstain thresholds are calibrated once)
     */
    FineTuneReport report(double totalSeconds, List<BundleManifest.Task> settings) {
        List<FineTuneReport.TaskResult> tasks = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            FineTuneTask t = data.get(i);
            DevScore m = bestDevMetrics == null ? null : bestDevMetrics.get(t.name());
            tasks.add(
                    new FineTuneReport.TaskResult(
                            t.name(),
                            t.labels().labels(),
                            t.train().size(),
                            t.dev().size(),
                            m == null ? Double.NaN : m.accuracy(),
                            m == null ? Double.NaN : m.macroF1(),
                            settings.get(i).abstainThreshold(),
                            calibrations.get(t.name())));
        }
        return new FineTuneReport(tasks, bestEpoch, curve, examples, trainSeconds, totalSeconds);
    }
}
