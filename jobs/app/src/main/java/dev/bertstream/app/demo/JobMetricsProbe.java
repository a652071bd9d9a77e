package dev.bertstream.app.demo;

import dev.bertstream.jobs.pipeline.ClassificationWorkflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the job's batching and inference metrics from the local Flink REST API, so the demo's view
 * shows the numbers Flink reports rather than re-deriving them.
 */
final class JobMetricsProbe {

    private static final String METRICS =
            "BERT_inference.batchSize_mean,BERT_inference.batchSize_max,"
                    + "BERT_inference.flushesSIZE,BERT_inference.flushesTOKENS,BERT_inference.flushesTIMER,BERT_inference.paddingEfficiency";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String jobId;
    private String vertexId;

    JobMetricsProbe(int port, String jobId) {
        this.base = "http://localhost:" + port;
        this.jobId = jobId;
    }

    /** One line for the view, or a note when the metrics are not available (yet). */
    String line() {
        try {
            if (vertexId == null) {
                for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
                    if (v.path("name").asText().startsWith(ClassificationWorkflow.INFERENCE_NAME)) {
                        vertexId = v.path("id").asText();
                    }
                }
            }
            JsonNode metrics =
                    get(
                            "/jobs/"
                                    + jobId
                                    + "/vertices/"
                                    + vertexId
                                    + "/subtasks/metrics?get="
                                    + METRICS);
            double mean = 0;
            double max = 0;
            double size = 0;
            double tokens = 0;
            double timer = 0;
            double padding = 0;
            for (JsonNode m : metrics) {
                String id = m.path("id").asText();
                double avg = m.path("avg").asDouble();
                switch (id) {
                    case "BERT_inference.batchSize_mean" -> mean = avg;
                    case "BERT_inference.batchSize_max" -> max = m.path("max").asDouble();
                    case "BERT_inference.flushesSIZE" -> size = m.path("sum").asDouble();
                    case "BERT_inference.flushesTOKENS" -> tokens = m.path("sum").asDouble();
                    case "BERT_inference.flushesTIMER" -> timer = m.path("sum").asDouble();
                    case "BERT_inference.paddingEfficiency" -> padding = avg;
                    default -> {}
                }
            }
            return String.format(
                    "batches    mean size %.1f, max %.0f; flushes by size %.0f, tokens %.0f, timer %.0f; "
                            + "padding efficiency %.2f",
                    mean, max, size, tokens, timer, padding);
        } catch (Exception e) {
            return "batches    (Flink metrics not available yet)";
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(2))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }
}
