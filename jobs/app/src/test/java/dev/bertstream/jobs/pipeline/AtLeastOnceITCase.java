package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.FailOnceAfter;
import dev.bertstream.jobs.testutils.TestBundles;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
 * The whole job with {@code job.delivery: at-least-once} on a MiniCluster against the in-process
 * broker: 10,000 events, 5% malformed, one task failure mid-stream. Nothing may be lost: every
 * valid event id is labeled and every malformed record is dead-lettered, at least once. Duplicates
 * (the events replayed after the failure) are allowed and reported; consumers drop them by
 * event_id, which every labeled event carries. The sinks write without transactions.
 */
class AtLeastOnceITCase extends PipelineITCaseBase {

    static final int EVENTS = 10_000;
    static final double MALFORMED = 0.05;
    static final String FAILURE = "at-least-once";

    @TempDir static Path tmp;

    @Test
    void noEventIsLostDespiteAFailureAndDuplicatesCarryTheirEventId() throws Exception {
        Set<String> validIds = new HashSet<>();
        int malformed = produce("a", EVENTS, MALFORMED, 7, validIds);
        Path bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");

        Configuration conf = jobConfig(bundle, Map.of(JobOptions.DELIVERY.key(), "at-least-once"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        ClassificationWorkflow.of(conf)
                .optAfterSource(new FailOnceAfter(FAILURE, EVENTS / 3))
                .define(
                        env,
                        ClassificationJob.kafkaSourceBuilder(conf)
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        ClassificationJob.kafkaSinks(conf));
        env.execute("at-least-once-itcase");
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
        assertThat(labeledEvents)
                .allSatisfy(e -> assertThat(e.getEvent().getEventId()).isNotBlank());
        Map<String, Integer> labeledCounts = countById(labeledEvents);
        int duplicates = labeledCounts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = validIds.stream().filter(id -> !labeledCounts.containsKey(id)).count();
        List<DeadLetter> dlq = readDeadLetters(Duration.ofSeconds(2));
        Set<String> deadLetterOrigins = new HashSet<>();
        dlq.forEach(d -> deadLetterOrigins.add(d.getSourcePartition() + "@" + d.getSourceOffset()));
        System.out.printf(
                "at-least-once: in=%d labeled=%d (distinct %d) dlq=%d (distinct %d)"
                        + " duplicates=%d missing=%d%n",
                EVENTS,
                labeledEvents.size(),
                labeledCounts.size(),
                dlq.size(),
                deadLetterOrigins.size(),
                duplicates + dlq.size() - deadLetterOrigins.size(),
                missing);
        assertThat(missing).as("valid events never labeled").isZero();
        assertThat(labeledCounts.keySet()).isEqualTo(validIds);
        assertThat(deadLetterOrigins).as("malformed records dead-lettered").hasSize(malformed);
        assertThat(labeledEvents.size()).isEqualTo(validIds.size() + duplicates);

        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            assertThat(admin.listTransactions().all().get())
                    .as("at-least-once sinks write without transactions")
                    .isEmpty();
        }
    }
}
