package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.training.ClassificationMetrics;
import dev.bertstream.models.training.ConfusionMatrixPlot;
import dev.bertstream.models.training.LabelMapping;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.MultiLabelMetrics;
import dev.bertstream.models.training.TaskData;
import dev.bertstream.models.training.TaskEvaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code models eval}: scores a bundle's task heads on labeled test files. */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Evaluate task heads: accuracy, macro/weighted F1, per-class P/R/F1, confusion matrix "
                        + "(Markdown, JSON and a PNG heat map), expected calibration error. "
                        + "Multi-label tasks (test labels comma-separated): macro/micro F1, per-label P/R/F1, "
                        + "subset accuracy.")
final class EvalCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model bundle directory.")
    Path model;

    @Option(
            names = "--task",
            required = true,
            paramLabel = "NAME=TEST",
            description = "A task and its test file; repeat.")
    List<String> tasks;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "eval",
            description =
                    "Directory for <task>.json, <task>.md and <task>-confusion.png. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(
            names = "--label-map",
            paramLabel = "GOLD=MODEL,...",
            description =
                    "Rename test labels to the model's, e.g. offensive=toxic,not_offensive=not_toxic"
                            + " (several may map to one: hate=toxic,offensive=toxic). Applies to every"
                            + " single-label --task.")
    String labelMap;

    @Option(
            names = "--labels",
            paramLabel = "LABEL,...",
            description =
                    "Restrict predictions to these model labels: each text gets the most probable of"
                            + " them (e.g. negative,positive scores a three-class sentiment head on a"
                            + " binary test set; neutral is never predicted).")
    String labels;

    @Override
    public Integer call() throws Exception {
        LabelMapping mapping = LabelMapping.parse(labelMap, labels);
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try (ModelBundle bundle = ModelBundle.load(model, SessionSettings.defaults());
                BatchPredictor predictor = BatchPredictor.builder(bundle).build()) {
            for (String spec : tasks) {
                TaskData t = TaskData.parse(spec);
                BundleManifest.Task task = bundle.manifest().task(t.name());
                if (task != null && task.multiLabel()) {
                    evalMultiLabel(json, predictor, t);
                    continue;
                }
                ClassificationMetrics m =
                        TaskEvaluator.evaluate(
                                predictor, t.name(), LabeledDatasetReader.read(t.train()), mapping);
                json.writeValue(out.resolve(t.name() + ".json").toFile(), m);
                String md = m.toMarkdown(t.name() + " on " + t.train().getFileName());
                Files.writeString(out.resolve(t.name() + ".md"), md);
                if (m.labels().size() <= 30) {
                    ConfusionMatrixPlot.write(
                            m,
                            t.name()
                                    + " ("
                                    + bundle.manifest().name()
                                    + " "
                                    + bundle.manifest().version()
                                    + ")",
                            out.resolve(t.name() + "-confusion.png"));
                }
                System.out.printf(
                        "%-10s accuracy %.4f  macro-F1 %.4f  weighted-F1 %.4f  ECE %.4f  (%d examples)%n",
                        t.name(),
                        m.accuracy(),
                        m.macroF1(),
                        m.weightedF1(),
                        m.expectedCalibrationError(),
                        m.examples());
            }
        }
        System.out.println("Reports written to " + out);
        return 0;
    }

    /** A multi-label task: micro/macro F1 and per-label P/R/F1 (no confusion matrix). */
    private void evalMultiLabel(ObjectMapper json, BatchPredictor predictor, TaskData t)
            throws java.io.IOException {
        MultiLabelMetrics m =
                TaskEvaluator.evaluateMultiLabel(
                        predictor, t.name(), LabeledDatasetReader.read(t.train()));
        json.writeValue(out.resolve(t.name() + ".json").toFile(), m);
        Files.writeString(
                out.resolve(t.name() + ".md"),
                m.toMarkdown(t.name() + " on " + t.train().getFileName()));
        System.out.printf(
                "%-10s macro-F1 %.4f  micro-F1 %.4f  micro-precision %.4f  micro-recall %.4f"
                        + "  subset accuracy %.4f  (%d examples, multi-label)%n",
                t.name(),
                m.macroF1(),
                m.microF1(),
                m.microPrecision(),
                m.microRecall(),
                m.subsetAccuracy(),
                m.examples());
    }
}
