package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.jobs.testutils.TestBundles;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop-with-savepoint, then restore, switching the model bundle from v1 to v2 on the way: the
 * roll-out path of a new model. No event may be lost or duplicated across the switch, and each
 * carries the version that scored it.
 */
class SavepointUpgradeITCase extends PipelineITCaseBase {

    @TempDir static Path tmp;

    @Test
    void stopWithSavepointRestoreWithNewModelLosesAndDuplicatesNothing() throws Exception {
        Path v1 = TestBundles.chatBundle(tmp.resolve("model-v1"), "1");
        Path v2 = TestBundles.chatBundle(tmp.resolve("model-v2"), "2");
        Set<String> before = new HashSet<>();
        produce("before", 3000, 0, 11, before);

        JobClient first = start(jobConfig(v1, Map.of()));
        awaitLabeled(before.size(), Duration.ofSeconds(120));
        String savepoint =
                first.stopWithSavepoint(
                                false,
                                tmp.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        // Produced while the job is down: the restored job must pick these up with the new model.
        Set<String> after = new HashSet<>();
        produce("after", 3000, 0, 12, after);

        JobClient second =
                start(jobConfig(v2, Map.of(StateRecoveryOptions.SAVEPOINT_PATH.key(), savepoint)));
        awaitLabeled(before.size() + after.size(), Duration.ofSeconds(120));
        second.cancel().get();

        List<LabeledEvent> labeled = readLabeled(Duration.ofSeconds(3));
        Map<String, Integer> counts = countById(labeled);
        Set<String> all = new HashSet<>(before);
        all.addAll(after);
        int duplicates = counts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = all.stream().filter(id -> !counts.containsKey(id)).count();
        Map<String, Long> byVersion =
                labeled.stream()
                        .collect(
                                Collectors.groupingBy(
                                        LabeledEvent::getModelVersion, Collectors.counting()));
        System.out.printf(
                "savepoint upgrade: in=%d labeled=%d duplicates=%d missing=%d by version %s%n",
                all.size(), labeled.size(), duplicates, missing, byVersion);
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(labeled)
                .filteredOn(e -> e.getEvent().getEventId().startsWith("after"))
                .allSatisfy(e -> assertThat(e.getModelVersion()).isEqualTo("2"));
        assertThat(byVersion).containsKeys("1", "2");
    }

    private static JobClient start(Configuration conf) throws Exception {
        // The same graph as runJob, started asynchronously so the test can stop it.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ClassificationJob.configure(env, conf);
        var decoded =
                env.fromSource(
                                ClassificationJob.kafkaSource(conf),
                                org.apache.flink.api.common.eventtime.WatermarkStrategy
                                        .noWatermarks(),
                                "kafka")
                        .uid("kafka-source");
        ClassificationJob.defineWorkflow(decoded, ClassificationJob.kafkaSinks(conf), conf);
        return env.executeAsync("savepoint-upgrade-itcase");
    }

    private static void awaitLabeled(int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (countById(readLabeled(Duration.ofMillis(500))).size() >= expected) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("fewer than " + expected + " labeled events within " + timeout);
    }
}
