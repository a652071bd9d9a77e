package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.testutils.KeyedTwoInputFactoryHarness;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.DeadLetterLimits;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static dev.bertstream.jobs.testutils.Events.traced;
import static dev.bertstream.jobs.testutils.HarnessMailbox.advance;
import static dev.bertstream.jobs.testutils.HarnessMailbox.drainUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model roll-out of {@link HotSwapInferenceOperator} under a keyed two-input harness, with real
 * tiny bundles of versions 1 and 2: when the switch happens, what a snapshot keeps, and what a
 * rejected bundle or a load that hangs leaves serving.
 */
class HotSwapInferenceOperatorTest {

    static final int MAX_PARALLELISM = 128;
    static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);

    @TempDir static Path tmp;
    static Path v1;
    static Path v2;

    @BeforeAll
    static void buildBundles() throws Exception {
        v1 = TestBundles.chatBundle(tmp.resolve("v1"), "1");
        v2 = TestBundles.chatBundle(tmp.resolve("v2"), "2");
    }

    @Test
    void aRolloutServesFromTheNextCheckpointBarrierOnAndNotBefore() throws Exception {
        try (var h = open(null)) {
            h.processElement1(event("1", "a"));
            h.processElement2(new StreamRecord<>(rollout(v2, "2")));
            h.processElement1(event("2", "b"));
            // However long the candidate takes, events before the barrier stay with version 1.
            Thread.sleep(300);
            h.processElement1(event("3", "a"));
            assertThat(operator(h).activeVersion()).isEqualTo("1");
            h.prepareSnapshotPreBarrier(1);
            assertThat(versionsById(h))
                    .as("every event that arrived before the barrier is labeled before it passes")
                    .containsOnly(Map.entry("1", "1"), Map.entry("2", "1"), Map.entry("3", "1"));
            h.snapshot(1, 100);
            h.processElement1(event("4", "b"));
            h.endInput1();
            assertThat(versionsById(h)).containsEntry("4", "2").hasSize(4);
            assertThat(operator(h).rolloutsApplied()).isEqualTo(1);
        }
    }

    @Test
    void aRestoreServesTheVersionThatWasActiveAtTheCheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(null)) {
            h.processElement2(new StreamRecord<>(rollout(v2, "2")));
            h.prepareSnapshotPreBarrier(1);
            h.processElement1(event("1", "a")); // after the barrier: in the snapshot's state
            snapshot = h.snapshot(1, 100);
        }
        try (var h = open(snapshot)) {
            assertThat(operator(h).activeVersion()).isEqualTo("2");
            h.processElement1(event("2", "b"));
            h.endInput1();
            assertThat(versionsById(h)).containsOnly(Map.entry("1", "2"), Map.entry("2", "2"));
        }
    }

    @Test
    void publishingTheOldBundleAgainRollsBack() throws Exception {
        try (var h = open(null)) {
            h.processElement2(new StreamRecord<>(rollout(v2, "2")));
            h.prepareSnapshotPreBarrier(1);
            h.processElement1(event("1", "a"));
            h.processElement2(new StreamRecord<>(rollout(v1, "1")));
            h.prepareSnapshotPreBarrier(2);
            h.processElement1(event("2", "a"));
            h.endInput1();
            assertThat(versionsById(h)).containsOnly(Map.entry("1", "2"), Map.entry("2", "1"));
            assertThat(operator(h).rolloutsApplied()).isEqualTo(2);
        }
    }

    @Test
    void aBundleWithAWrongDigestIsRejectedAndTheOldModelKeepsServing() throws Exception {
        ModelRollout wrongDigest = new ModelRollout(v2.toString(), "2", "0".repeat(64));
        assertRejectedWhileVersion1Serves(wrongDigest);
    }

    @Test
    void aBundleWithADamagedFileIsRejectedAndTheOldModelKeepsServing() throws Exception {
        Path v3 = TestBundles.chatBundle(tmp.resolve("v3-damaged"), "3");
        String digest = TestBundles.manifestSha256(v3); // the manifest is intact, a file is not
        Files.write(largestFile(v3), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        assertRejectedWhileVersion1Serves(new ModelRollout(v3.toString(), "3", digest));
    }

    @Test
    void aBundleOfAnotherVersionThanTheRolloutNamesIsRejected() throws Exception {
        assertRejectedWhileVersion1Serves(
                new ModelRollout(v2.toString(), "7", TestBundles.manifestSha256(v2)));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a load stuck on one thread would hang it
    void aLoadThatHangsPastItsTimeoutIsRejectedAndTheNextRolloutLoadsOnAFreshThread()
            throws Exception {
        Path v3 = TestBundles.chatBundle(tmp.resolve("v3-hangs"), "3");
        try (ModelFaults faults = new ModelFaults(1).hangLoadsOf(v3.toString()).install();
                var h = open(null)) {
            HotSwapInferenceOperator op = operator(h);
            h.processElement1(event("1", "a"));
            h.processElement2(new StreamRecord<>(rollout(v3, "3")));
            drainUntil(h, () -> faults.loadsHanging() == 1);
            advance(h, LOAD_TIMEOUT.toMillis() - 1);
            assertThat(op.rolloutsRejected()).as("not before its timeout").isZero();
            advance(h, LOAD_TIMEOUT.toMillis());
            assertThat(op.rolloutsRejected()).isEqualTo(1);
            assertThat(faults.loadsHanging()).as("its thread is still stuck").isEqualTo(1);
            h.prepareSnapshotPreBarrier(1);
            h.snapshot(1, 100);
            assertThat(op.activeVersion()).isEqualTo("1");

            h.processElement2(new StreamRecord<>(rollout(v2, "2")));
            h.prepareSnapshotPreBarrier(2); // waits for version 2: forever behind the stuck load
            h.snapshot(2, 200);
            h.processElement1(event("2", "b"));
            h.endInput1();
            assertThat(faults.loadsHanging()).isEqualTo(1);
            assertThat(versionsById(h)).containsOnly(Map.entry("1", "1"), Map.entry("2", "2"));
            assertThat(op.rolloutsApplied()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a barrier that waits without bound hangs it
    void aBarrierHeldByAHangingLoadPassesAtItsTimeoutAndItsCheckpointRestoresEveryEventOnce()
            throws Exception {
        Path v4 = TestBundles.chatBundle(tmp.resolve("v4-hangs"), "4");
        OperatorSubtaskState checkpoint2;
        List<String> committed = new ArrayList<>();
        try (ModelFaults faults = new ModelFaults(1).hangLoadsOf(v4.toString()).install();
                var h = open(null)) {
            HotSwapInferenceOperator op = operator(h);
            h.processElement1(event("1", "a"));
            advance(h, 100); // the batch's wait ends
            drainUntil(h, () -> versionsById(h).size() == 1);
            h.prepareSnapshotPreBarrier(1);
            h.snapshot(1, 150);
            h.notifyOfCompletedCheckpoint(1);

            // The fault strikes after checkpoint 1 completed: the roll-out's load hangs.
            h.processElement2(new StreamRecord<>(rollout(v4, "4")));
            drainUntil(h, () -> faults.loadsHanging() == 1);
            h.processElement1(event("2", "b"));
            assertThat(versionsById(h))
                    .as("event 2 waits in its batch (50 ms, the clock stands) at the barrier")
                    .containsOnlyKeys("1");

            // The time passes in a mail of the operator's mailbox, as a task's timer service
            // delivers timers (the harness's own clock would fire them on the calling thread).
            AtomicBoolean timedOut = new AtomicBoolean();
            Thread clock =
                    new Thread(
                            () -> {
                                try {
                                    Thread.sleep(300); // the barrier is waiting by now
                                    timedOut.set(true);
                                    op.mailbox()
                                            .execute(
                                                    () ->
                                                            h.setProcessingTime(
                                                                    100 + LOAD_TIMEOUT.toMillis()),
                                                    "the load timeout passes");
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            });
            clock.start();
            h.prepareSnapshotPreBarrier(2);
            assertThat(timedOut).as("the barrier waited for the load's timeout").isTrue();
            clock.join();
            checkpoint2 = h.snapshot(2, 200);
            // What a transactional sink commits with checkpoint 2; the rest is lost in the crash.
            committed.addAll(labeledIds(h));
            assertThat(op.rolloutsRejected()).isEqualTo(1);
            assertThat(op.rolloutsApplied()).isZero();
            assertThat(faults.loadsHanging()).isEqualTo(1);
        }
        try (var h = open(checkpoint2)) {
            assertThat(operator(h).activeVersion()).isEqualTo("1");
            h.processElement1(event("3", "a"));
            h.endInput1();
            committed.addAll(labeledIds(h));
            assertThat(committed)
                    .as("committed with checkpoint 2, then replayed from it")
                    .containsExactlyInAnyOrder("1", "2", "3");
            assertThat(versionsById(h).values()).containsOnly("1");
        }
    }

    private void assertRejectedWhileVersion1Serves(ModelRollout bad) throws Exception {
        try (var h = open(null)) {
            h.processElement1(event("1", "a"));
            h.processElement2(new StreamRecord<>(bad));
            HotSwapInferenceOperator op = operator(h);
            drainUntil(h, () -> op.rolloutsRejected() == 1);
            h.processElement1(event("2", "b"));
            h.prepareSnapshotPreBarrier(1);
            h.snapshot(1, 100);
            h.processElement1(event("3", "a"));
            h.endInput1();
            assertThat(versionsById(h))
                    .containsOnly(Map.entry("1", "1"), Map.entry("2", "1"), Map.entry("3", "1"));
            assertThat(op.activeVersion()).isEqualTo("1");
            assertThat(op.rolloutsApplied()).isZero();
        }
    }

    private static Path largestFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("bundle.json"))
                    .max(Comparator.comparingLong(f -> f.toFile().length()))
                    .orElseThrow();
        }
    }

    private static ModelRollout rollout(Path bundle, String version) throws Exception {
        return new ModelRollout(bundle.toString(), version, TestBundles.manifestSha256(bundle));
    }

    private static StreamRecord<TracedEvent> event(String id, String key) {
        return new StreamRecord<>(traced(id, key, "hello " + id, Long.parseLong(id)));
    }

    private static HotSwapInferenceOperator operator(
            KeyedTwoInputFactoryHarness<String, TracedEvent, ModelRollout, LabeledEvent> h) {
        return (HotSwapInferenceOperator) h.getOperator();
    }

    /** The labeled events in the harness output, in output order, repeats included. */
    private static List<LabeledEvent> labeled(
            KeyedTwoInputFactoryHarness<String, TracedEvent, ModelRollout, LabeledEvent> h) {
        List<LabeledEvent> events = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof LabeledEvent e) {
                events.add(e);
            }
        }
        return events;
    }

    /** Ids of the labeled events, in output order, repeats included. */
    private static List<String> labeledIds(
            KeyedTwoInputFactoryHarness<String, TracedEvent, ModelRollout, LabeledEvent> h) {
        return labeled(h).stream().map(e -> e.getEvent().getEventId()).toList();
    }

    /** Model version per event id, in output order. */
    private static Map<String, String> versionsById(
            KeyedTwoInputFactoryHarness<String, TracedEvent, ModelRollout, LabeledEvent> h) {
        Map<String, String> out = new LinkedHashMap<>();
        labeled(h).forEach(e -> out.put(e.getEvent().getEventId(), e.getModelVersion()));
        return out;
    }

    /** Version 1 configured, batches of up to 8 events, restored from {@code state} if given. */
    private static KeyedTwoInputFactoryHarness<String, TracedEvent, ModelRollout, LabeledEvent>
            open(OperatorSubtaskState state) throws Exception {
        var factory =
                new BatchInferenceOperatorFactory(
                                new BatchingSettings(8, 100_000, 50),
                                new InferenceSettings(
                                        v1.toString(), 1, 1, 64, 100_000, 8, false, false),
                                new FailureSettings(
                                        Duration.ofSeconds(60),
                                        Duration.ofMillis(5),
                                        Duration.ofMillis(50),
                                        InferenceFailurePolicy.DEAD_LETTER),
                                2,
                                DeadLetterLimits.defaults())
                        .withModelRollouts(LOAD_TIMEOUT);
        var h =
                new KeyedTwoInputFactoryHarness<String, TracedEvent, ModelRollout, LabeledEvent>(
                        factory,
                        (TracedEvent e) -> e.getEvent().getKey(),
                        Types.STRING,
                        MAX_PARALLELISM,
                        1,
                        0);
        h.setup(
                new AvroTypeInfo<>(LabeledEvent.class)
                        .createSerializer(new SerializerConfigImpl()));
        if (state != null) {
            h.initializeState(state);
        }
        h.open();
        return h;
    }
}
