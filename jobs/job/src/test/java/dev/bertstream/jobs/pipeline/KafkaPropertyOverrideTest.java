package dev.bertstream.jobs.pipeline;

import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.testutils.LogCapture;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka settings the job's guarantees rest on replace the user's with a WARN that names the
 * key, the user's value and the value used; settings the job leaves alone pass without one.
 */
class KafkaPropertyOverrideTest {

    private static Configuration conf(String... extra) throws Exception {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers", "localhost:1",
                                "--inference.model", "/m",
                                "--serde.input.format", "SINGLE_OBJECT",
                                "--serde.output.format", "SINGLE_OBJECT"));
        args.addAll(List.of(extra));
        return JobConfig.load(null, args);
    }

    @Test
    void aUsersIsolationLevelIsOverriddenWithAWarning() throws Exception {
        Configuration conf = conf("--kafka.properties.isolation.level", "read_uncommitted");
        try (LogCapture log = LogCapture.start()) {
            ClassificationJob.kafkaSourceBuilder(conf);
            assertThat(log.text())
                    .contains("WARN")
                    .contains(
                            "Kafka client property isolation.level = read_uncommitted (from"
                                    + " kafka.client-config or kafka.properties.*) is overridden"
                                    + " with read_committed");
        }
    }

    @Test
    void aUsersTransactionTimeoutIsOverriddenWithAWarningNamingTheJobOption() throws Exception {
        Configuration conf =
                conf(
                        "--kafka.properties.transaction.timeout.ms",
                        "60000",
                        "--kafka.transaction-timeout",
                        "10 min");
        try (LogCapture log = LogCapture.start()) {
            ClassificationJob.kafkaSinks(conf);
            assertThat(log.text())
                    .contains(
                            "Kafka client property transaction.timeout.ms = 60000 (from"
                                    + " kafka.client-config or kafka.properties.*) is overridden"
                                    + " with 600000")
                    .contains("kafka.transaction-timeout");
        }
    }

    @Test
    void settingsTheJobAgreesWithOrLeavesAloneLogNoWarning() throws Exception {
        Configuration conf =
                conf(
                        "--kafka.properties.isolation.level",
                        "read_committed",
                        "--kafka.properties.client.id",
                        "mine");
        try (LogCapture log = LogCapture.start()) {
            ClassificationJob.kafkaSourceBuilder(conf);
            assertThat(log.text()).doesNotContain("overridden");
        }
    }
}
