package dev.bertstream.jobs.pipeline;

import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.testutils.LogCapture;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code job.delivery} changes: the sinks' producer settings and the checkpointing mode; and
 * the network buffer timeout the job sets for latency unless the user sets one.
 */
class DeliveryModeTest {

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
    void exactlyOnceSinksUseTransactionsWithTheConfiguredTimeoutAndAlignedCheckpoints()
            throws Exception {
        Configuration conf = conf("--kafka.transaction-timeout", "10 min");
        Properties p = ClassificationJob.producerProperties(conf);
        assertThat(p).containsEntry("transaction.timeout.ms", "600000");
        assertThat(p).doesNotContainKey("enable.idempotence");
        assertThat(checkpointingMode(conf)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    }

    @Test
    void atLeastOnceSinksAreIdempotentAckedByAllWithoutTransactions() throws Exception {
        Configuration conf = conf("--job.delivery", "at-least-once");
        Properties p = ClassificationJob.producerProperties(conf);
        assertThat(p)
                .containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all")
                .doesNotContainKey("transaction.timeout.ms");
        assertThat(checkpointingMode(conf)).isEqualTo(CheckpointingMode.AT_LEAST_ONCE);
    }

    @Test
    void atLeastOnceOverridesAUsersWeakerAcksWithAWarning() throws Exception {
        Configuration conf =
                conf("--job.delivery", "at-least-once", "--kafka.properties.acks", "1");
        try (LogCapture log = LogCapture.start()) {
            assertThat(ClassificationJob.producerProperties(conf)).containsEntry("acks", "all");
            assertThat(log.text())
                    .contains("WARN")
                    .contains("Kafka client property acks = 1")
                    .contains("overridden with all")
                    .contains("job.delivery at-least-once");
        }
    }

    @Test
    void theJobFlushesNetworkBuffersAfterFiveMillisUnlessTheUserSetsATimeout() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ClassificationWorkflow.configure(env, conf());
        assertThat(env.getBufferTimeout())
                .isEqualTo(ClassificationWorkflow.BUFFER_TIMEOUT.toMillis())
                .isEqualTo(5);

        StreamExecutionEnvironment userSet = StreamExecutionEnvironment.getExecutionEnvironment();
        ClassificationWorkflow.configure(
                userSet, conf("--execution.buffer-timeout.interval", "100 ms"));
        assertThat(userSet.getBufferTimeout()).isEqualTo(100);
    }

    private static CheckpointingMode checkpointingMode(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ClassificationWorkflow.configure(env, conf);
        return env.getCheckpointConfig().getCheckpointingConsistencyMode();
    }
}
