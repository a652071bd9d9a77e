package dev.bertstream.app.cli;

import dev.bertstream.jobs.config.KafkaClientConfig;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The Kafka client options of the commands that talk to Kafka themselves ({@code produce}, {@code
 * consume}, {@code rollout}), mixed into each with {@code @Mixin}: the brokers, and the client
 * properties file a secured cluster needs.
 */
final class KafkaClientOptions {

    @Option(
            names = "--bootstrap-servers",
            required = true,
            description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(
            names = "--kafka-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties file (security.protocol, sasl.*, ssl.*), as Kafka's"
                            + " own tools take it.")
    Path kafkaConfig;

    /**
     * The --kafka-config file's properties with {@code bootstrap.servers} set from the option; the
     * command adds its own settings on top.
     */
    Properties properties() {
        Properties p = kafkaConfig == null ? new Properties() : KafkaClientConfig.read(kafkaConfig);
        p.put("bootstrap.servers", bootstrap);
        return p;
    }
}
