package dev.bertstream.app.demo;

import dev.bertstream.jobs.pipeline.ClassificationWorkflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.annotation.Internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Reads the job's batching and inference metrics from the local Flink REST API, so the demo's view
 * shows the numbers Flink reports rather than re-deriving them.
 */
@Internal
public final class JobMetricsProbe {

    private static final String METRICS =
            "BERT_inference.batchSize_mean,BERT_inference.batchSize_max,"
                    + "BERT_inference.flushesSIZE,BERT_inference.flushesTOKENS,BERT_inference.flushesTIMER,"
                    + "BERT_inference.flushesIDLE,BERT_inference.paddingEfficiency";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String jobId;
    private String vertexId;
    private boolean primed;

    public JobMetricsProbe(int port, String jobId) {
        this.base = "http://localhost:" + port;
        this.jobId = jobId;
    }

    /** One line for the view, or a note when the metrics are not available (yet). */
    String line() {
        try {
            JsonNode metrics = subtaskMetrics(METRICS);
            double mean = 0;
            double max = 0;
            double size = 0;
            double tokens = 0;
            double timer = 0;
            double idle = 0;
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
                    case "BERT_inference.flushesIDLE" -> idle = m.path("sum").asDouble();
                    case "BERT_inference.paddingEfficiency" -> padding = avg;
                    default -> {}
                }
            }
            return String.format(
                    "batches    mean size %.1f, max %.0f; flushes by size %.0f, tokens %.0f, timer %.0f,"
                            + " idle model %.0f; padding efficiency %.2f",
                    mean, max, size, tokens, timer, idle, padding);
        } catch (Exception e) {
            return "batches    (Flink metrics not available yet)";
        }
    }

    private static final String RUN_METRICS =
            "BERT_inference.eventsLabeled,BERT_inference.flushesSIZE,BERT_inference.flushesTOKENS,"
                    + "BERT_inference.flushesTIMER,BERT_inference.flushesIDLE,BERT_inference.flushesEND_OF_INPUT,"
                    + "BERT_inference.tokensReal,BERT_inference.tokensComputed,"
                    + "BERT_inference.inferenceLatencyMs_median,BERT_inference.inferenceLatencyMs_p99,"
                    + "BERT_inference.queueWaitMs_median,BERT_inference.queueWaitMs_p99,"
                    + "BERT_inference.arrivalGapMs_median,BERT_inference.arrivalGapMs_p90,"
                    + "BERT_inference.arrivalGapMs_p99";

    /**
     * The inference operator's counters and histograms, summed (counters) or averaged (percentiles)
     * over its subtasks: what a benchmark reports per run.
     *
     * @param labeled events labeled
     * @param batches micro-batches flushed, for any reason
     * @param timerFlushes micro-batches flushed by their max wait
     * @param paddingEfficiency real over computed tokens, over the whole run
     * @param inferenceP50 median time of a batch from submission to result, ms (last 1000)
     * @param queueWaitP50 median time an event waited for its batch to leave, ms (last 1000)
     * @param arrivalGapP50 median gap between consecutive arrivals at the operator, ms
     * @param arrivalGapP90 90th percentile of that gap, ms
     */
    public record Snapshot(
            long labeled,
            long batches,
            long timerFlushes,
            double paddingEfficiency,
            double inferenceP50,
            double inferenceP99,
            double queueWaitP50,
            double queueWaitP99,
            double arrivalGapP50,
            double arrivalGapP90,
            double arrivalGapP99) {

        /** Events per micro-batch over the run. */
        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) labeled / batches;
        }
    }

    /** The operator's metrics now; throws when the REST API does not answer. */
    public Snapshot snapshot() throws Exception {
        java.util.Map<String, JsonNode> m = new java.util.HashMap<>();
        for (JsonNode n : subtaskMetrics(RUN_METRICS)) {
            m.put(n.path("id").asText().substring("BERT_inference.".length()), n);
        }
        // A metric not reported yet (no batch so far) reads as 0 (counters) or NaN (percentiles).
        java.util.function.ToDoubleFunction<String> sum =
                k -> m.containsKey(k) ? m.get(k).path("sum").asDouble() : 0;
        java.util.function.ToDoubleFunction<String> avg =
                k -> m.containsKey(k) ? m.get(k).path("avg").asDouble() : Double.NaN;
        long batches =
                (long)
                        (sum.applyAsDouble("flushesSIZE")
                                + sum.applyAsDouble("flushesTOKENS")
                                + sum.applyAsDouble("flushesTIMER")
                                + sum.applyAsDouble("flushesIDLE")
                                + sum.applyAsDouble("flushesEND_OF_INPUT"));
        double computed = sum.applyAsDouble("tokensComputed");
        return new Snapshot(
                (long) sum.applyAsDouble("eventsLabeled"),
                batches,
                (long) sum.applyAsDouble("flushesTIMER"),
                computed == 0 ? Double.NaN : sum.applyAsDouble("tokensReal") / computed,
                avg.applyAsDouble("inferenceLatencyMs_median"),
                avg.applyAsDouble("inferenceLatencyMs_p99"),
                avg.applyAsDouble("queueWaitMs_median"),
                avg.applyAsDouble("queueWaitMs_p99"),
                avg.applyAsDouble("arrivalGapMs_median"),
                avg.applyAsDouble("arrivalGapMs_p90"),
                avg.applyAsDouble("arrivalGapMs_p99"));
    }

    /**
     * The inference operator's metrics {@code names}, aggregated over its subtasks. Flink's REST
     * server fetches a job's metrics only once asked, so the first answer is empty: the first call
     * asks once and reads again after the (1-s local) fetch interval.
     */
    private JsonNode subtaskMetrics(String names) throws Exception {
        findVertex();
        String path = "/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics?get=" + names;
        if (!primed) {
            get(path);
            Thread.sleep(1500);
            primed = true;
        }
        return get(path);
    }

    /**
     * The sum over every vertex and subtask of the metrics whose id ends with {@code suffix}, e.g.
     * {@code ".modelRows"} for a counter of an operator whose name the caller does not know (the
     * planner names SQL operators); 0 while Flink has not reported it yet.
     */
    public double sumOfMetricsEndingWith(String suffix) throws Exception {
        double total = 0;
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            String path =
                    "/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/subtasks/metrics";
            // Flink replaces ' ', ',', '.' and ':' in operator names, so ids join with ','.
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (JsonNode m : get(path)) {
                if (m.path("id").asText().endsWith(suffix)) {
                    ids.add(m.path("id").asText());
                }
            }
            if (!ids.isEmpty()) {
                for (JsonNode m : get(path + "?get=" + String.join(",", ids))) {
                    total += m.path("sum").asDouble();
                }
            }
        }
        return total;
    }

    private void findVertex() throws Exception {
        if (vertexId == null) {
            for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
                if (v.path("name").asText().startsWith(ClassificationWorkflow.INFERENCE_NAME)) {
                    vertexId = v.path("id").asText();
                }
            }
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }
}
