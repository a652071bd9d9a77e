package dev.bertstream.app.cli;

import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.config.KafkaClientConfig;
import dev.bertstream.jobs.pipeline.ClassificationJob;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bert-stream run}: the job against an existing Kafka, on a local MiniCluster with the web
 * UI.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description =
                "Run the classification job on a local Flink MiniCluster against an existing Kafka. "
                        + "Options after the file override it: --key value. The same jar runs on a cluster with "
                        + "'flink run jobs/job/target/bert-stream-job.jar --config FILE'.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration YAML.")
    Path config;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties file (security.protocol, sasl.*, ssl.*), as Kafka's"
                            + " tools take it; sets kafka.client-config.")
    Path kafkaConfig;

    @Option(
            names = "--language-model",
            paramLabel = "LANG=DIR",
            description =
                    "A bundle of its own for one language, e.g. zh=bundles/chat-zh (repeatable);"
                            + " sets inference.language-models.")
    Map<String, Path> languageModels = new LinkedHashMap<>();

    @Option(
            names = "--web-ui-port",
            defaultValue = "8081",
            description = "Flink web UI port. Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Unmatched List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(overrides);
        if (kafkaConfig != null) {
            args.addAll(List.of("--" + JobOptions.CLIENT_CONFIG.key(), kafkaConfig.toString()));
        }
        args.addAll(LocalPipeline.languageModelOverrides(languageModels));
        Configuration conf = JobConfig.load(config, args);
        // Flink shows the cluster configuration in its web UI: no Kafka secrets in it.
        Configuration local = KafkaClientConfig.withoutSecrets(conf);
        local.set(RestOptions.PORT, webUiPort);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(local);
        System.err.println("Flink web UI on http://localhost:" + webUiPort);
        ClassificationJob.runJob(conf, env);
        return 0;
    }
}
