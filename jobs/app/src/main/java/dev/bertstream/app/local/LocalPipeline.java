package dev.bertstream.app.local;

import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.config.KafkaClientConfig;
import dev.bertstream.jobs.pipeline.ClassificationJob;
import dev.bertstream.jobs.pipeline.ClassificationWorkflow;
import dev.bertstream.jobs.routing.IntentTopics;
import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.ModelBundle;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the classification job on a local MiniCluster against an embedded broker (demo and
 * benchmarks).
 */
@Internal
public final class LocalPipeline {

    private LocalPipeline() {}

    /** Creates the job's default topics on {@code kafka}. */
    public static void createTopics(EmbeddedKafkaCluster kafka, int partitions) throws Exception {
        kafka.createTopics(
                partitions,
                JobOptions.INPUT_TOPIC.defaultValue(),
                JobOptions.LABELED_TOPIC.defaultValue(),
                JobOptions.MODERATION_TOPIC.defaultValue(),
                JobOptions.DEAD_LETTER_TOPIC.defaultValue());
    }

    /**
     * Creates the intent topics (under {@code pattern}) of every label of the default intent task
     * in {@code bundles}, so the sinks' first write to each does not wait while the broker
     * auto-creates it (each such write logged UNKNOWN_TOPIC_OR_PARTITION). Bundles without the task
     * add none.
     */
    public static void createIntentTopics(
            EmbeddedKafkaCluster kafka, int partitions, String pattern, Collection<Path> bundles)
            throws Exception {
        String task = JobOptions.INTENT_TASK.defaultValue();
        Set<String> topics = new TreeSet<>();
        for (Path bundle : bundles) {
            BundleManifest manifest = ModelBundle.readManifest(bundle);
            manifest.tasks().stream()
                    .filter(t -> t.name().equals(task))
                    .flatMap(t -> t.labels().stream())
                    .forEach(label -> topics.add(IntentTopics.topicFor(pattern, label)));
        }
        if (!topics.isEmpty()) {
            kafka.createTopics(partitions, topics.toArray(String[]::new));
        }
    }

    /**
     * The job configuration for {@code kafka} and {@code bundle}, plus {@code --key value}
     * overrides.
     */
    public static Configuration config(
            EmbeddedKafkaCluster kafka, Path bundle, List<String> overrides) throws Exception {
        return config(kafka.bootstrapServers(), bundle, overrides);
    }

    /** As above against the brokers at {@code bootstrapServers}. */
    public static Configuration config(String bootstrapServers, Path bundle, List<String> overrides)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--" + JobOptions.BOOTSTRAP_SERVERS.key(),
                                bootstrapServers,
                                "--" + JobOptions.MODEL.key(),
                                bundle.toString(),
                                "--" + JobOptions.CHECKPOINT_INTERVAL.key(),
                                "1 s",
                                "--" + JobOptions.TRANSACTION_TIMEOUT.key(),
                                "2 min",
                                "--serde.input.format",
                                "SINGLE_OBJECT",
                                "--serde.output.format",
                                "SINGLE_OBJECT"));
        args.addAll(overrides);
        return JobConfig.load(null, args);
    }

    /**
     * The {@code --inference.language-models LANG=DIR;...} override of {@code bundles} (language
     * tag to bundle directory), or none when empty.
     */
    public static List<String> languageModelOverrides(Map<String, Path> bundles) {
        if (bundles.isEmpty()) {
            return List.of();
        }
        List<String> entries = new ArrayList<>();
        bundles.forEach((lang, dir) -> entries.add(lang + "=" + dir));
        return List.of("--" + JobOptions.LANGUAGE_MODELS.key(), String.join(";", entries));
    }

    /**
     * Starts the job asynchronously; {@code webUiPort > 0} serves the Flink web UI there; {@code
     * bounded} reads the input topic up to its end offsets at start and then finishes.
     */
    public static JobClient start(Configuration conf, int webUiPort, boolean bounded)
            throws Exception {
        // Flink shows the cluster configuration in its web UI: no Kafka secrets in it.
        Configuration local = KafkaClientConfig.withoutSecrets(conf);
        StreamExecutionEnvironment env;
        if (webUiPort > 0) {
            local.set(RestOptions.PORT, webUiPort);
            // The demo and the bench read the job's metrics through REST; Flink refreshes its copy
            // every 10 s by default, so a level's last seconds (or a short demo) read as no
            // batches.
            local.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(local);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(local);
        }
        var source = ClassificationJob.kafkaSourceBuilder(conf);
        if (bounded) {
            source.setBounded(OffsetsInitializer.latest());
        }
        ClassificationWorkflow.of(conf)
                .define(env, source.build(), ClassificationJob.kafkaSinks(conf));
        return env.executeAsync("bert-stream");
    }

    /**
     * Waits until every task of the job runs, read from the local REST API on {@code restPort}: the
     * job's status turns RUNNING as soon as it is scheduled, while its tasks still initialize (the
     * inference operator loads and warms the model in {@code open()}, which takes tens of seconds
     * on a loaded machine). Traffic started at the job's RUNNING met a cold job: the startup tail
     * of the demo's and the benchmark's latencies. Then waits as {@link #awaitRunning(JobClient)}
     * does; without a REST port ({@code restPort <= 0}) only that.
     */
    public static void awaitTasksRunning(JobClient job, int restPort) throws Exception {
        awaitRunning(job);
        if (restPort <= 0) {
            return;
        }
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        java.net.URI uri =
                java.net.URI.create(
                        "http://localhost:" + restPort + "/jobs/" + job.getJobID().toHexString());
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                var vertices =
                        json.readTree(
                                        http.send(
                                                        java.net.http.HttpRequest.newBuilder(uri)
                                                                .timeout(
                                                                        java.time.Duration
                                                                                .ofSeconds(10))
                                                                .build(),
                                                        java.net.http.HttpResponse.BodyHandlers
                                                                .ofString())
                                                .body())
                                .path("vertices");
                boolean allRunning = vertices.size() > 0;
                for (var v : vertices) {
                    allRunning &= "RUNNING".equals(v.path("status").asText());
                }
                if (allRunning) {
                    return;
                }
            } catch (java.io.IOException e) {
                // The REST endpoint is not up yet: ask again.
            }
            Thread.sleep(200);
        }
    }

    /** Waits until the job runs and its sources had a moment to take their partitions. */
    public static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
    }
}
