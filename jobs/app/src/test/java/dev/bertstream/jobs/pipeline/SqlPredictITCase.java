package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.jobs.inference.SharedModels;
import dev.bertstream.jobs.testutils.FlinkTestCluster;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.Prediction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink SQL end to end: a Kafka source table of the job's JSON input events, {@code ML_PREDICT}
 * with the {@code bert-stream} provider on a real tiny bundle, and a Kafka sink table with
 * exactly-once delivery, on a MiniCluster. 10,000 rows; once a checkpoint completed and while rows
 * are in flight, one model call stalls beyond {@code inference.timeout}, the job fails over and the
 * stalled rows are labeled again after the restore. Read back with read_committed: every id exactly
 * once, labelled as {@link BatchPredictor} labels the same texts with the same bundle.
 */
class SqlPredictITCase {

    static final String IN = "sql.text-events";
    static final String LABELED = "sql.labeled";
    static final int ROWS = 10_000;
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(3);
    static final String[] TASKS = {"sentiment", "toxicity", "intent"};

    @TempDir Path dir;

    @Test
    void mlPredictLabelsEveryRowExactlyOnceAcrossAStalledModelCall() throws Exception {
        Path bundle = TestBundles.chatBundle(dir.resolve("bundle"), "1");
        Configuration clusterConf = new Configuration();
        clusterConf.setString("restart-strategy.type", "fixed-delay");
        clusterConf.setString("restart-strategy.fixed-delay.attempts", "3");
        clusterConf.setString("restart-strategy.fixed-delay.delay", "500 ms");
        StallOnce stall = new StallOnce(STALL_TIMEOUT.plusSeconds(3).toMillis());
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start();
                FlinkTestCluster flink = FlinkTestCluster.start(1, 2, 2, clusterConf)) {
            kafka.createTopics(2, IN, LABELED);
            SharedModels.setTestHook(stall);
            Map<String, String> texts = new HashMap<>();
            List<byte[][]> events = events(texts);

            KafkaTestClients.produce(kafka.bootstrapServers(), IN, events.subList(0, ROWS / 2));
            TableResult insert = startJob(kafka.bootstrapServers(), bundle);
            JobClient client = insert.getJobClient().orElseThrow();
            JobID job = client.getJobID();

            // The fault strikes only after a checkpoint completed, with the job labeling.
            long checkpointBeforeFault = awaitCheckpoint(flink, job);
            stall.arm();
            KafkaTestClients.produce(kafka.bootstrapServers(), IN, events.subList(ROWS / 2, ROWS));

            Map<String, JsonNode> labeled = new HashMap<>();
            readUntilComplete(kafka, labeled, texts.size());
            RestoredCheckpointStats restore = flink.latestRestore(job);
            client.cancel().get();
            // Counted once more after the job stopped: a late commit would show as a duplicate.
            Map<String, Integer> counts = read(kafka, labeled);

            int duplicates = counts.values().stream().mapToInt(c -> Math.max(0, c - 1)).sum();
            int missing =
                    (int) texts.keySet().stream().filter(id -> !counts.containsKey(id)).count();
            double meanBatch = stall.meanBatch();
            System.out.printf(
                    java.util.Locale.ROOT,
                    "sql-predict: in=%d labeled=%d duplicates=%d missing=%d mean-batch=%.1f%n",
                    texts.size(),
                    counts.size(),
                    duplicates,
                    missing,
                    meanBatch);

            assertThat(checkpointBeforeFault)
                    .as("a checkpoint completed before the fault")
                    .isPositive();
            assertThat(stall.stalledRows()).as("rows in flight in the stalled call").isPositive();
            assertThat(restore).as("the job failed over and restored a checkpoint").isNotNull();
            assertThat(restore.getCheckpointId()).isGreaterThanOrEqualTo(checkpointBeforeFault);
            assertThat(duplicates).isZero();
            assertThat(missing).isZero();
            assertThat(counts).hasSize(texts.size());
            assertThat(meanBatch).as("mean rows per model call").isGreaterThan(1.0);
            assertLabelsMatchTheModel(bundle, texts, labeled);
        } finally {
            SharedModels.setTestHook(null);
        }
    }

    private static TableResult startJob(String bootstrap, Path bundle) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(500);
        StreamTableEnvironment sql = StreamTableEnvironment.create(env);
        // Room for several full batches per subtask: the async operator bounds the rows in flight.
        sql.getConfig().set("table.exec.async-ml-predict.max-concurrent-operations", "256");
        sql.executeSql(
                "CREATE TABLE chat_messages (event_id STRING, text STRING) WITH ("
                        + " 'connector' = 'kafka', 'topic' = '"
                        + IN
                        + "',"
                        + " 'properties.bootstrap.servers' = '"
                        + bootstrap
                        + "',"
                        + " 'properties.group.id' = 'sql-predict',"
                        + " 'scan.startup.mode' = 'earliest-offset',"
                        + " 'format' = 'json')");
        sql.executeSql(
                "CREATE TABLE chat_labeled (event_id STRING, text STRING, sentiment STRING,"
                        + " sentiment_score DOUBLE, toxicity STRING, toxicity_score DOUBLE,"
                        + " intent STRING, intent_score DOUBLE) WITH ("
                        + " 'connector' = 'kafka', 'topic' = '"
                        + LABELED
                        + "',"
                        + " 'properties.bootstrap.servers' = '"
                        + bootstrap
                        + "',"
                        + " 'properties.transaction.timeout.ms' = '300000',"
                        + " 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'sink.transactional-id-prefix' = 'sql-predict-itcase',"
                        + " 'format' = 'json')");
        sql.executeSql(
                "CREATE MODEL chat_classifier INPUT (text STRING) OUTPUT (sentiment STRING,"
                        + " sentiment_score DOUBLE, toxicity STRING, toxicity_score DOUBLE, intent"
                        + " STRING, intent_score DOUBLE) WITH ('provider' = 'bert-stream',"
                        + " 'bundle' = '"
                        + bundle
                        + "',"
                        + " 'model-sha256' = '"
                        + ModelBundle.manifestSha256(bundle)
                        + "',"
                        + " 'batch.max-size' = '64', 'batch.max-wait' = '20 ms',"
                        + " 'inference.timeout' = '"
                        + STALL_TIMEOUT.toMillis()
                        + " ms')");
        return sql.executeSql(
                "INSERT INTO chat_labeled SELECT event_id, text, sentiment, sentiment_score,"
                        + " toxicity, toxicity_score, intent, intent_score FROM ML_PREDICT(TABLE"
                        + " chat_messages, MODEL chat_classifier, DESCRIPTOR(text))");
    }

    /** The job's JSON input events; fills {@code texts} with each id's text. */
    private static List<byte[][]> events(Map<String, String> texts) {
        ObjectMapper json = new ObjectMapper();
        ChatTraffic traffic = new ChatTraffic(21);
        List<byte[][]> out = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = "sql-" + i;
            String key = traffic.nextKey(200);
            String text = traffic.nextText();
            ObjectNode e = json.createObjectNode();
            e.put("event_id", id);
            e.put("key", key);
            e.put("text", text);
            e.put("source", "itcase");
            e.put("created_at", System.currentTimeMillis());
            texts.put(id, text);
            out.add(
                    new byte[][] {
                        key.getBytes(StandardCharsets.UTF_8),
                        e.toString().getBytes(StandardCharsets.UTF_8)
                    });
        }
        return out;
    }

    private static long awaitCheckpoint(FlinkTestCluster flink, JobID job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long id = flink.latestCompletedCheckpoint(job);
            if (id > 0) {
                return id;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint completed within 3 min");
    }

    /** Reads the labeled topic until every id arrived (or 5 min); returns the count per id. */
    private static Map<String, Integer> readUntilComplete(
            EmbeddedKafkaCluster kafka, Map<String, JsonNode> labeled, int expected)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Map<String, Integer> counts = read(kafka, labeled);
            if (counts.size() >= expected || System.nanoTime() > deadline) {
                return counts;
            }
            Thread.sleep(1000);
        }
    }

    /** The labeled topic, read_committed: the count per id; {@code labeled} gets each id's row. */
    private static Map<String, Integer> read(
            EmbeddedKafkaCluster kafka, Map<String, JsonNode> labeled) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> counts = new HashMap<>();
        labeled.clear();
        for (var r :
                KafkaTestClients.readCommitted(
                        kafka.bootstrapServers(), LABELED, Duration.ofSeconds(3))) {
            JsonNode row = json.readTree(r.value());
            String id = row.get("event_id").asText();
            counts.merge(id, 1, Integer::sum);
            labeled.put(id, row);
        }
        return counts;
    }

    /** Every row's labels are the model's for its text; scores agree to float precision. */
    private static void assertLabelsMatchTheModel(
            Path bundle, Map<String, String> texts, Map<String, JsonNode> labeled) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(texts.values()));
        Map<String, Prediction> expected = new HashMap<>();
        try (ModelBundle b = ModelBundle.load(bundle, new SessionSettings(1, 1, false));
                BatchPredictor p = BatchPredictor.builder(b).build()) {
            List<Prediction> predictions = p.predict(distinct).predictions();
            for (int i = 0; i < distinct.size(); i++) {
                expected.put(distinct.get(i), predictions.get(i));
            }
        }
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : labeled.entrySet()) {
            String text = texts.get(e.getKey());
            JsonNode row = e.getValue();
            assertThat(row.get("text").asText()).isEqualTo(text);
            Prediction want = expected.get(text);
            for (String task : TASKS) {
                assertThat(row.get(task).asText())
                        .as("%s of %s", task, e.getKey())
                        .isEqualTo(want.task(task).label());
                assertThat(row.get(task + "_score").asDouble())
                        .isCloseTo(
                                want.task(task).score(), org.assertj.core.data.Offset.offset(1e-4));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(texts.size());
    }

    /**
     * Records every model call and, once armed, stalls the next one beyond {@code
     * inference.timeout}: the rows of that call are in flight when the job fails over.
     */
    static final class StallOnce implements SharedModels.TestHook {
        private final long stallMillis;
        private final AtomicBoolean armed = new AtomicBoolean();
        private final AtomicInteger stalledRows = new AtomicInteger();
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong rows = new AtomicLong();

        StallOnce(long stallMillis) {
            this.stallMillis = stallMillis;
        }

        void arm() {
            armed.set(true);
        }

        @Override
        public void beforePredict(List<String> texts) throws Exception {
            if (!texts.equals(List.of(SharedModels.CANARY_TEXT))) {
                calls.incrementAndGet();
                rows.addAndGet(texts.size());
            }
            if (armed.compareAndSet(true, false)) {
                stalledRows.set(texts.size());
                Thread.sleep(stallMillis);
            }
        }

        int stalledRows() {
            return stalledRows.get();
        }

        double meanBatch() {
            long c = calls.get();
            return c == 0 ? 0 : (double) rows.get() / c;
        }
    }
}
