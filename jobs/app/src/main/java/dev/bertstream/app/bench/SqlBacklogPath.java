package dev.bertstream.app.bench;

import dev.bertstream.app.demo.JobMetricsProbe;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.sql.BertStreamModelOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The SQL path: a Kafka source table of the JSON backlog, {@code ML_PREDICT} on a {@code 'provider'
 * = 'bert-stream'} model, a Kafka sink table (JSON, exactly-once) with the labels, scores and the
 * time each row left {@code ML_PREDICT}. The model runs with the DataStream job's default batching
 * and inference settings, so the two paths differ only in the plumbing around the model.
 */
final class SqlBacklogPath implements BacklogPath {

    /** The output topic; the command creates it. */
    static final String OUTPUT_TOPIC = "chat.sql-labeled";

    /**
     * Rows in flight per ML_PREDICT subtask: Flink's default (10) would cap every batch at 10 rows.
     * The DataStream job holds up to {@code inference.capacity} batches at the model plus one
     * filling, so four batches' worth lets the SQL path fill its batches as the job does.
     */
    static int maxConcurrentOperations() {
        return 4 * JobOptions.BATCH_MAX_SIZE.defaultValue();
    }

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String outputTopic() {
        return OUTPUT_TOPIC;
    }

    @Override
    public LabeledTimesReader.Decoder decoder() {
        return value -> {
            JsonNode row = json.readTree(value);
            return new LabeledTimesReader.Labeled(
                    row.path("event_id").asText(),
                    Instant.parse(row.path("processed_at").asText()).toEpochMilli());
        };
    }

    @Override
    public JobClient start(String bootstrap, Path bundle, Settings settings, int restPort) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, restPort);
        // As LocalPipeline: Flink's REST copy of the metrics refreshes every 10 s by default.
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        conf.setString(
                "execution.checkpointing.interval",
                settings.checkpointInterval().toMillis() + " ms");
        conf.setString("parallelism.default", Integer.toString(settings.parallelism()));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        StreamTableEnvironment sql = StreamTableEnvironment.create(env);
        sql.getConfig()
                .set(
                        ExecutionConfigOptions
                                .TABLE_EXEC_ASYNC_ML_PREDICT_MAX_CONCURRENT_OPERATIONS,
                        maxConcurrentOperations());
        List<String> statements = statements(bootstrap, bundle);
        for (String ddl : statements.subList(0, statements.size() - 1)) {
            sql.executeSql(ddl);
        }
        return sql.executeSql(statements.get(statements.size() - 1)).getJobClient().orElseThrow();
    }

    /** The source table, sink table, model and INSERT, in order. */
    static List<String> statements(String bootstrap, Path bundle) {
        String source =
                "CREATE TABLE chat_messages (event_id STRING, text STRING) WITH ("
                        + " 'connector' = 'kafka',"
                        + String.format(" 'topic' = '%s',", JobOptions.INPUT_TOPIC.defaultValue())
                        + String.format(" 'properties.bootstrap.servers' = '%s',", bootstrap)
                        + " 'properties.group.id' = 'bert-stream-bench-sql',"
                        + " 'scan.startup.mode' = 'earliest-offset',"
                        + " 'format' = 'json', 'json.ignore-parse-errors' = 'true')";
        String sink =
                "CREATE TABLE chat_labeled (event_id STRING, text STRING, sentiment STRING,"
                        + " sentiment_score DOUBLE, toxicity STRING, toxicity_score DOUBLE,"
                        + " intent STRING, intent_score DOUBLE, processed_at TIMESTAMP_LTZ(3))"
                        + " WITH ('connector' = 'kafka',"
                        + String.format(" 'topic' = '%s',", OUTPUT_TOPIC)
                        + String.format(" 'properties.bootstrap.servers' = '%s',", bootstrap)
                        // As LocalPipeline's kafka.transaction-timeout.
                        + " 'properties.transaction.timeout.ms' = '120000',"
                        + " 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'sink.transactional-id-prefix' = 'bert-stream-bench-sql',"
                        + " 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";
        String model =
                "CREATE MODEL chat_classifier INPUT (text STRING) OUTPUT (sentiment STRING,"
                        + " sentiment_score DOUBLE, toxicity STRING, toxicity_score DOUBLE,"
                        + " intent STRING, intent_score DOUBLE) WITH ('provider' = 'bert-stream',"
                        + option(BertStreamModelOptions.BUNDLE.key(), bundle.toString())
                        + option(
                                BertStreamModelOptions.BATCH_MAX_SIZE.key(),
                                JobOptions.BATCH_MAX_SIZE.defaultValue())
                        + option(
                                BertStreamModelOptions.BATCH_MAX_TOKENS.key(),
                                JobOptions.BATCH_MAX_TOKENS.defaultValue())
                        + option(
                                BertStreamModelOptions.BATCH_MAX_WAIT.key(),
                                JobOptions.BATCH_MAX_WAIT.defaultValue().toMillis() + " ms")
                        + option(
                                BertStreamModelOptions.CAPACITY.key(),
                                JobOptions.CAPACITY.defaultValue())
                        + option(
                                BertStreamModelOptions.INFERENCE_THREADS.key(),
                                JobOptions.INFERENCE_THREADS.defaultValue())
                        + option(
                                BertStreamModelOptions.INTRA_OP_THREADS.key(),
                                JobOptions.INTRA_OP_THREADS.defaultValue())
                        + String.format(
                                " '%s' = '%d ms')",
                                BertStreamModelOptions.TIMEOUT.key(),
                                JobOptions.TIMEOUT.defaultValue().toMillis());
        // CURRENT_TIMESTAMP is evaluated per row in streaming mode: when the row left ML_PREDICT,
        // the counterpart of the DataStream job's processed_at.
        String insert =
                "INSERT INTO chat_labeled SELECT event_id, text, sentiment, sentiment_score,"
                        + " toxicity, toxicity_score, intent, intent_score, CURRENT_TIMESTAMP"
                        + " FROM ML_PREDICT(TABLE chat_messages, MODEL chat_classifier,"
                        + " DESCRIPTOR(text))";
        return List.of(source, sink, model, insert);
    }

    private static String option(String key, Object value) {
        return String.format(" '%s' = '%s',", key, value);
    }

    @Override
    public ModelCalls modelCalls(JobMetricsProbe probe) throws Exception {
        // BatchingPredictFunction's counters, on the planner-named ML_PREDICT operator.
        return new ModelCalls(
                (long) probe.sumOfMetricsEndingWith(".modelRows"),
                (long) probe.sumOfMetricsEndingWith(".modelBatches"));
    }
}
