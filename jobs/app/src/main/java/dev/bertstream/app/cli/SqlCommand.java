package dev.bertstream.app.cli;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.models.training.DefaultBundle;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code bert-stream sql -f FILE.sql}: runs a Flink SQL script on a local MiniCluster, with the
 * {@code bert-stream} model provider of {@code CREATE MODEL} / {@code ML_PREDICT} on the class
 * path; {@code --embedded-kafka} starts the demo's in-process broker with its topics first.
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description =
                "Run a Flink SQL script (CREATE TABLE / CREATE MODEL ... 'provider' = 'bert-stream'"
                        + " / INSERT INTO ... ML_PREDICT) on a local Flink MiniCluster. $${name}"
                        + " placeholders are replaced by --var values; with --embedded-kafka,"
                        + " $${kafka.bootstrap-servers} is the embedded broker and $${bundle}"
                        + " defaults to the default bundle (built when missing).")
final class SqlCommand implements Callable<Integer> {

    /**
     * The largest batch ML_PREDICT can form is this bound (Flink's default is 10, which would cap
     * every model call at 10 rows): set to 256 (4 x the default batch.max-size, as {@code bench
     * sql} runs it) before the script's own SETs, which override it.
     */
    static final String MAX_CONCURRENT = "table.exec.async-ml-predict.max-concurrent-operations";

    @Option(
            names = {"-f", "--file"},
            required = true,
            paramLabel = "FILE",
            description = "The SQL script.")
    Path file;

    @Option(
            names = "--var",
            paramLabel = "NAME=VALUE",
            description = "Value of the script's $${NAME} (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(
            names = "--embedded-kafka",
            description =
                    "Start a Kafka broker in-process with the demo's topics (chat.text-events,"
                            + " chat.labeled, ...) and produce chat traffic to chat.text-events in"
                            + " the job's JSON input format.")
    boolean embeddedKafka;

    @Option(
            names = "--rate",
            defaultValue = "50",
            description =
                    "Events/s of chat traffic with --embedded-kafka (0: none). Default:"
                            + " ${DEFAULT-VALUE}.")
    int rate;

    @Option(
            names = "--seconds",
            defaultValue = "0",
            description =
                    "Cancel the script's jobs after this many seconds (0: run until they end or"
                            + " Ctrl-C).")
    int seconds;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2 s",
            description =
                    "Checkpoint interval of the script's jobs (exactly-once Kafka sinks commit on"
                            + " checkpoints); a SET in the script overrides it. Default:"
                            + " ${DEFAULT-VALUE}.")
    String checkpointInterval;

    @Option(
            names = "--web-ui-port",
            defaultValue = "8081",
            description = "Flink web UI port (0: no web UI). Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Override
    public Integer call() throws Exception {
        String script = Files.readString(file);
        List<String> placeholders = SqlScript.placeholders(script);
        EmbeddedKafkaCluster kafka = null;
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread traffic = null;
        try {
            if (embeddedKafka) {
                kafka = EmbeddedKafkaCluster.builder().build().start();
                LocalPipeline.createTopics(kafka, 2);
                vars.putIfAbsent("kafka.bootstrap-servers", kafka.bootstrapServers());
                System.err.println("Kafka (in-process) on " + kafka.bootstrapServers());
                if (placeholders.contains("bundle") && !vars.containsKey("bundle")) {
                    vars.put(
                            "bundle",
                            DefaultBundle.ensure(DefaultBundle.defaultLocation(), System.err)
                                    .toString());
                }
                if (rate > 0) {
                    traffic = startTraffic(kafka.bootstrapServers(), rate, producing);
                }
            }
            List<String> statements = SqlScript.statements(script, vars);
            int code = run(statements);
            if (kafka != null && seconds > 0) {
                producing.set(false);
                if (traffic != null) {
                    traffic.join(5000);
                }
                summarize(kafka);
            }
            return code;
        } finally {
            producing.set(false);
            if (traffic != null) {
                traffic.join(5000);
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private int run(List<String> statements) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", checkpointInterval);
        StreamExecutionEnvironment env;
        if (webUiPort > 0) {
            conf.set(RestOptions.PORT, webUiPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            System.err.println("Flink web UI on http://localhost:" + webUiPort);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        }
        StreamTableEnvironment sql = StreamTableEnvironment.create(env);
        sql.getConfig().set(MAX_CONCURRENT, "256");
        List<JobClient> jobs = new ArrayList<>();
        for (String statement : statements) {
            var set = SqlScript.setOption(statement);
            if (set.isPresent()) {
                // The table config reaches the planner; the environment takes the job-level
                // options (checkpointing) the planner does not hand on.
                sql.getConfig().set(set.get().getKey(), set.get().getValue());
                env.configure(
                        Configuration.fromMap(Map.of(set.get().getKey(), set.get().getValue())));
                System.err.println("SET " + set.get().getKey() + " = " + set.get().getValue());
                continue;
            }
            TableResult result = sql.executeSql(statement);
            if (result.getJobClient().isPresent()) {
                JobClient job = result.getJobClient().get();
                jobs.add(job);
                System.err.println("Submitted job " + job.getJobID() + ": " + firstLine(statement));
                if (statement.regionMatches(true, 0, "SELECT", 0, 6)) {
                    result.print();
                }
            } else {
                System.err.println("OK: " + firstLine(statement));
            }
        }
        if (seconds > 0) {
            TimeUnit.SECONDS.sleep(seconds);
            for (JobClient job : jobs) {
                job.cancel().get();
            }
            System.err.println("Cancelled " + jobs.size() + " job(s) after " + seconds + " s");
            return 0;
        }
        for (JobClient job : jobs) {
            job.getJobExecutionResult().get();
        }
        return 0;
    }

    /**
     * After a timed run on the embedded broker: every topic's committed records, with one example,
     * since the broker and its topics are gone when the command exits.
     */
    private static void summarize(EmbeddedKafkaCluster kafka) throws Exception {
        List<String> topics;
        try (var admin = kafka.admin()) {
            topics = new ArrayList<>(admin.listTopics().names().get());
        }
        topics.sort(null);
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        try (var consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
                        p,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer())) {
            for (String topic : topics) {
                var partitions =
                        consumer.partitionsFor(topic).stream()
                                .map(
                                        i ->
                                                new org.apache.kafka.common.TopicPartition(
                                                        topic, i.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long count = 0;
                String example = null;
                long quietSince = System.nanoTime();
                while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
                    var records = consumer.poll(java.time.Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        quietSince = System.nanoTime();
                        count += records.count();
                        if (example == null) {
                            example = records.iterator().next().value();
                        }
                    }
                }
                System.out.println(
                        "topic "
                                + topic
                                + ": "
                                + count
                                + " committed records"
                                + (example == null ? "" : ", e.g. " + example));
            }
        }
    }

    private static String firstLine(String statement) {
        String line = statement.lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }

    /** Chat traffic as the job's JSON input events, at {@code rate} events/s. */
    private static Thread startTraffic(String bootstrap, int rate, AtomicBoolean running) {
        Thread t =
                new Thread(
                        () -> {
                            Properties p = new Properties();
                            p.put("bootstrap.servers", bootstrap);
                            p.put("linger.ms", "5");
                            ChatTraffic traffic = new ChatTraffic(System.nanoTime());
                            com.fasterxml.jackson.databind.ObjectMapper json =
                                    new com.fasterxml.jackson.databind.ObjectMapper();
                            long start = System.nanoTime();
                            long sent = 0;
                            try (KafkaProducer<String, String> producer =
                                    new KafkaProducer<>(
                                            p, new StringSerializer(), new StringSerializer())) {
                                while (running.get()) {
                                    long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
                                    for (; sent < due; sent++) {
                                        String key = traffic.nextKey(200);
                                        var e = json.createObjectNode();
                                        e.put("event_id", "sql-" + sent);
                                        e.put("key", key);
                                        e.put("text", traffic.nextText());
                                        e.put("source", "sql-demo");
                                        e.put("created_at", System.currentTimeMillis());
                                        producer.send(
                                                new ProducerRecord<>(
                                                        JobOptions.INPUT_TOPIC.defaultValue(),
                                                        key,
                                                        e.toString()));
                                    }
                                    Thread.sleep(20);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "sql-chat-traffic");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
