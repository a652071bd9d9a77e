package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.jobs.testutils.FailOnceAfter;
import dev.bertstream.jobs.testutils.TestBundles;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job on a MiniCluster against a real in-process Kafka broker: 20,000 events, 5%
 * malformed, checkpoints every second and one task failure mid-stream; every valid event must come
 * out labeled exactly once and every malformed record must be in the dead-letter topic.
 */
class ExactlyOnceITCase extends PipelineITCaseBase {

    static final int EVENTS = 20_000;
    static final double MALFORMED = 0.05;
    static final String FAILURE = "exactly-once";

    @TempDir static Path tmp;

    @Test
    void everyEventExactlyOnceDespiteAFailure() throws Exception {
        Set<String> validIds = new HashSet<>();
        int malformed = produce("e", EVENTS, MALFORMED, 3, validIds);
        Path bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");

        Configuration conf = jobConfig(bundle, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ClassificationWorkflow.of(conf)
                .optAfterSource(new FailOnceAfter(FAILURE, EVENTS / 3))
                .define(
                        env,
                        ClassificationJob.kafkaSourceBuilder(conf)
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        ClassificationJob.kafkaSinks(conf));
        env.execute("exactly-once-itcase");
        FailOnceAfter.Moment fault = FailOnceAfter.moment(FAILURE);
        assertThat(fault).as("the injected failure happened").isNotNull();
        System.out.println("fault struck after " + fault);
        assertThat(fault.completedCheckpoint())
                .as("the fault struck after a completed checkpoint")
                .isPositive();
        assertThat(fault.recordsSinceCheckpoint())
                .as("records had passed since that checkpoint (in flight, uncommitted)")
                .isGreaterThanOrEqualTo(FailOnceAfter.IN_FLIGHT);

        List<LabeledEvent> labeledEvents = readLabeled(Duration.ofSeconds(3));
        labeledEvents.forEach(
                e -> {
                    assertThat(e.getModelVersion()).isEqualTo("1");
                    assertThat(e.getResults())
                            .extracting(t -> t.getTask())
                            .containsExactly("sentiment", "toxicity", "intent");
                });
        Map<String, Integer> labeledCounts = countById(labeledEvents);
        List<DeadLetter> dlq = readDeadLetters(Duration.ofSeconds(2));
        int duplicates = labeledCounts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = validIds.stream().filter(id -> !labeledCounts.containsKey(id)).count();
        System.out.printf(
                "exactly-once: in=%d labeled=%d dlq=%d duplicates=%d missing=%d%n",
                EVENTS, labeledEvents.size(), dlq.size(), duplicates, missing);
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(labeledCounts.keySet()).isEqualTo(validIds);
        assertThat(dlq).hasSize(malformed);
        assertThat(dlq)
                .allSatisfy(
                        d -> {
                            assertThat(d.getStage()).isEqualTo("deserialize");
                            assertThat(d.getValue()).isNotNull();
                        });
        assertThat(labeledEvents.size() + dlq.size()).isEqualTo(EVENTS);
    }
}
