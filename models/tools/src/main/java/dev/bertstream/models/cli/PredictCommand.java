package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.BatchResult;
import dev.bertstream.models.inference.Prediction;
import dev.bertstream.models.inference.TaskPrediction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code models predict}: classifies texts given as arguments or, one per line, on standard input.
 */
@Command(
        name = "predict",
        description = "Classify texts with a model bundle.",
        mixinStandardHelpOptions = true)
final class PredictCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model bundle directory.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object per text instead of a table.")
    boolean json;

    @Option(
            names = "--threads",
            defaultValue = "0",
            description = "TensorFlow intra-op threads (0 = all cores). Default: ${DEFAULT-VALUE}.")
    int threads;

    @Parameters(
            paramLabel = "TEXT",
            arity = "0..*",
            description = "Texts to classify; none reads one text per line from standard input.")
    List<String> texts = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<String> inputs = texts.isEmpty() ? readStdin() : texts;
        try (ModelBundle bundle = ModelBundle.load(model, new SessionSettings(threads, 1, false));
                BatchPredictor predictor =
                        BatchPredictor.builder(bundle)
                                .includeEmbedding(bundle.manifest().tasks().isEmpty())
                                .build()) {
            BatchResult result = predictor.predict(inputs);
            ObjectMapper mapper = new ObjectMapper();
            for (int i = 0; i < inputs.size(); i++) {
                Prediction p = result.predictions().get(i);
                if (json) {
                    System.out.println(mapper.writeValueAsString(toJson(mapper, inputs.get(i), p)));
                } else {
                    printRow(inputs.get(i), p);
                }
            }
            System.err.printf(
                    "%d texts, %d session calls, %.1f ms inference, padding efficiency %.2f%n",
                    inputs.size(),
                    result.stats().sessionCalls(),
                    result.stats().inferenceNanos() / 1e6,
                    result.stats().paddingEfficiency());
        }
        return 0;
    }

    private static void printRow(String text, Prediction p) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, TaskPrediction> e : p.tasks().entrySet()) {
            TaskPrediction tp = e.getValue();
            if (tp.assigned().size() > 1) {
                // Multi-label: every assigned label with its score.
                sb.append(e.getKey()).append('=');
                sb.append(
                        String.join(
                                ",",
                                tp.assigned().stream()
                                        .map(a -> String.format("%s (%.2f)", a.label(), a.score()))
                                        .toList()));
                sb.append("  ");
            } else {
                sb.append(String.format("%s=%s (%.2f)  ", e.getKey(), tp.label(), tp.score()));
            }
        }
        if (p.tasks().isEmpty() && p.embedding() != null) {
            sb.append(
                    String.format(
                            "embedding[%d] %.4f %.4f %.4f ...  ",
                            p.embedding().length,
                            p.embedding()[0],
                            p.embedding()[1],
                            p.embedding()[2]));
        }
        if (p.truncated()) {
            sb.append("[truncated to ").append(p.tokens()).append(" tokens]  ");
        }
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        System.out.println(sb + "| " + shown.replaceAll("\\p{Cntrl}", " "));
    }

    private static ObjectNode toJson(ObjectMapper mapper, String text, Prediction p) {
        ObjectNode node = mapper.createObjectNode();
        node.put("text", text);
        node.put("tokens", p.tokens());
        node.put("truncated", p.truncated());
        p.tasks()
                .forEach(
                        (task, tp) -> {
                            ObjectNode t = node.putObject(task);
                            t.put("label", tp.label());
                            t.put("score", tp.score());
                            ArrayNode assigned = t.putArray("labels");
                            tp.assigned()
                                    .forEach(
                                            a ->
                                                    assigned.addObject()
                                                            .put("label", a.label())
                                                            .put("score", a.score()));
                            ObjectNode scores = t.putObject("scores");
                            tp.scores().forEach(scores::put);
                        });
        return node;
    }

    private static List<String> readStdin() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }
}
