package dev.bertstream.jobs.inference;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.testutils.LogCapture;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.DeadLetterLimits;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.bertstream.jobs.testutils.Events.traced;
import static dev.bertstream.jobs.testutils.HarnessMailbox.advance;
import static dev.bertstream.jobs.testutils.HarnessMailbox.drainUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batching and inference operator under Flink's keyed operator harness, with the task's mailbox
 * driven by the test and a real (tiny, random-weight) model behind a fault hook.
 */
class BatchInferenceOperatorTest {

    static final long MAX_WAIT = 50;
    static final int MAX_PARALLELISM = 128;

    @TempDir static Path tmp;
    static String bundle;

    private ModelFaults faults = new ModelFaults(7).install();

    @BeforeAll
    static void buildBundle() throws Exception {
        bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1").toString();
    }

    @AfterEach
    void removeFaults() {
        faults.close();
    }

    @Test
    void sendsABatchWhenItIsFullGroupedByKey() throws Exception {
        try (var h = new Setup().size(3).open()) {
            h.processElement(record("1", "a"));
            h.processElement(record("2", "b"));
            assertThat(faults.batchCalls()).isEmpty();
            h.processElement(record("3", "a"));
            assertThat(faults.batchCalls()).containsExactly(List.of("1", "3", "2"));
            drainUntil(h, () -> labeled(h).size() == 3);
            assertThat(ids(labeled(h))).containsExactly("1", "3", "2");
        }
    }

    @Test
    void sendsABatchWhenTheTokenBudgetIsReached() throws Exception {
        try (var h = new Setup().size(100).tokens(30).open()) {
            h.processElement(new StreamRecord<>(traced("1", "a", "x".repeat(60), 0)));
            assertThat(faults.batchCalls()).isEmpty();
            h.processElement(new StreamRecord<>(traced("2", "b", "x".repeat(80), 1)));
            assertThat(faults.batchCalls()).hasSize(1);
        }
    }

    @Test
    void aLongTextCountsNoMoreTokensThanTheBundlesMaxSeqLength() throws Exception {
        // The test bundle truncates at 64 tokens; 4000 characters would estimate at ~1000.
        try (var h = new Setup().size(100).tokens(2 * TestBundles.CHAT_MAX_SEQ_LENGTH).open()) {
            h.processElement(new StreamRecord<>(traced("1", "a", "x".repeat(4000), 0)));
            assertThat(faults.batchCalls()).as("one capped text is half the budget").isEmpty();
            h.processElement(new StreamRecord<>(traced("2", "b", "x".repeat(4000), 1)));
            assertThat(faults.batchCalls()).hasSize(1);
        }
    }

    @Test
    void sendsABatchWhenItsOldestEventWaitedMaxWait() throws Exception {
        try (var h = new Setup().size(100).open()) {
            advance(h, 1000);
            h.processElement(record("1", "a"));
            advance(h, 1030);
            h.processElement(record("2", "b"));
            advance(h, 1049);
            assertThat(faults.batchCalls()).isEmpty();
            advance(h, 1050);
            assertThat(faults.batchCalls()).containsExactly(List.of("1", "2"));
            drainUntil(h, () -> labeled(h).size() == 2);
            // Latency counts from arrival in the operator.
            assertThat(labeled(h)).allSatisfy(e -> assertThat(e.getLatencyMs()).isNotNegative());
            // The next batch gets its own deadline, counted from its own first event.
            advance(h, 1060);
            h.processElement(record("3", "a"));
            advance(h, 1100);
            assertThat(faults.batchCalls()).hasSize(1);
            advance(h, 1110);
            assertThat(faults.batchCalls()).hasSize(2);
        }
    }

    @Test
    void aBatchDueByItsTimerKeepsTakingEventsUntilASlotFrees() throws Exception {
        faults.hangOnce(300);
        try (var h = new Setup().size(100).capacity(1).open()) {
            advance(h, 1000);
            h.processElement(record("1", "a"));
            advance(h, 1050); // batch 1 leaves by its timer and hangs in the model
            h.processElement(record("2", "b"));
            advance(h, 1100); // batch 2 is due, but the only slot is taken
            long start = System.nanoTime();
            h.processElement(record("3", "a"));
            h.processElement(record("4", "c"));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the task thread is not held for a batch that is not full")
                    .isLessThan(Duration.ofMillis(200));
            drainUntil(h, () -> labeled(h).size() == 4);
            assertThat(faults.batchCalls()).containsExactly(List.of("1"), List.of("2", "3", "4"));
        }
    }

    @Test
    void withFlushWhenIdleAnEventLeavesAtOnceAndBatchesFormOnlyWhileTheModelIsBusy()
            throws Exception {
        faults.hangOnce(300);
        try (var h = new Setup().size(100).capacity(2).flushWhenIdle().open()) {
            advance(h, 1000);
            h.processElement(record("1", "a"));
            // The harness's clock stands still, so no timer can have sent it.
            drainUntil(h, () -> !faults.batchCalls().isEmpty());
            assertThat(faults.batchCalls())
                    .as("nothing in flight: the first event leaves without waiting max wait")
                    .containsExactly(List.of("1"));
            h.processElement(record("2", "b")); // batch 1 hangs in the model: these wait
            h.processElement(record("3", "c"));
            assertThat(faults.batchCalls()).hasSize(1);
            drainUntil(h, () -> labeled(h).size() == 3);
            assertThat(faults.batchCalls())
                    .as("what arrived while the model was busy leaves as one batch once it is idle")
                    .containsExactly(List.of("1"), List.of("2", "3"));
        }
    }

    @Test
    void keepsEachKeysOrderWithSeveralBatchesInFlight() throws Exception {
        try (var h = new Setup().size(7).capacity(3).open()) {
            for (int i = 0; i < 200; i++) {
                h.processElement(record(String.valueOf(i), "k" + (i % 13)));
            }
            h.endInput();
            assertThat(labeled(h)).hasSize(200);
            perKeyIds(labeled(h)).values().forEach(ids -> assertThat(ids).isSorted());
        }
    }

    @Test
    void waitsForAFreeSlotInsteadOfQueueingMoreBatches() throws Exception {
        faults.hangOnce(300);
        try (var h = new Setup().size(2).capacity(1).open()) {
            h.processElement(record("1", "a"));
            h.processElement(record("2", "b")); // batch 1 is in flight, hanging
            long start = System.nanoTime();
            h.processElement(record("3", "a"));
            h.processElement(record("4", "b")); // batch 2 is due: waits for batch 1 to finish
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThan(Duration.ofMillis(200));
            assertThat(ids(labeled(h))).containsExactly("1", "2");
            h.endInput();
            assertThat(ids(labeled(h))).containsExactly("1", "2", "3", "4");
        }
    }

    @Test
    void aCheckpointHoldsBufferedAndInFlightEventsAndARestoreLabelsEachOnce() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = new Setup().size(3).open()) {
            for (int i = 0; i < 5; i++) {
                h.processElement(record(String.valueOf(i), "k" + (i % 2)));
            }
            // Three events are in flight (results not yet taken from the mailbox), two buffered.
            assertThat(faults.batchCalls()).hasSize(1);
            assertThat(labeled(h)).isEmpty();
            snapshot = h.snapshot(1, 10);
            // The task fails here: what it emits after the checkpoint is discarded.
        }
        try (var h = new Setup().size(3).restore(snapshot).open()) {
            h.processElement(record("5", "k1"));
            h.endInput();
            assertThat(ids(labeled(h))).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
            perKeyIds(labeled(h)).values().forEach(ids -> assertThat(ids).isSorted());
        }
    }

    @Test
    void rescalingMovesBufferedAndInFlightEventsWithTheirKeysInOrder() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = new Setup().size(16).capacity(8).open()) {
            for (int i = 0; i < 100; i++) {
                h.processElement(record(String.valueOf(i), "key-" + (i % 20)));
            }
            assertThat(faults.batchCalls()).hasSize(6); // 96 in flight, 4 buffered
            snapshot = h.snapshot(1, 10);
        }
        List<LabeledEvent> emitted = new ArrayList<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 3, subtask);
            try (var h = new Setup().size(16).parallelism(3, subtask).restore(part).open()) {
                h.endInput();
                emitted.addAll(labeled(h));
            }
        }
        assertThat(ids(emitted)).hasSize(100).doesNotHaveDuplicates();
        perKeyIds(emitted).values().forEach(ids -> assertThat(ids).isSorted());
    }

    @Test
    void rejectedCallsAreRetriedAndNoEventIsDeadLettered() throws Exception {
        faults.reject(0.5);
        try (var h = new Setup().size(4).open()) {
            for (int i = 0; i < 40; i++) {
                h.processElement(record(String.valueOf(i), "k" + (i % 5)));
            }
            h.endInput();
            assertThat(faults.rejected()).isPositive();
            assertThat(labeled(h)).hasSize(40);
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aPoisonEventIsIsolatedBySplittingAndOnlyItIsDeadLettered() throws Exception {
        faults.poison("POISON");
        try (var h = new Setup().size(16).open()) {
            for (int i = 0; i < 16; i++) {
                String text = i == 11 ? "this is POISON" : String.valueOf(i);
                h.processElement(
                        new StreamRecord<>(
                                traced(String.valueOf(i), "k" + (i % 3), text, 100 + i)));
            }
            drainUntil(h, () -> labeled(h).size() + deadLetters(h).size() == 16);
            assertThat(ids(labeled(h))).hasSize(15).doesNotContain("11");
            assertThat(deadLetters(h))
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getSourceOffset()).isEqualTo(111);
                                assertThat(d.getReason()).isEqualTo("INFERENCE_FAILED");
                                assertThat(d.getStage()).isEqualTo("inference");
                                assertThat(d.getErrorMessage()).contains("POISON");
                                assertThat(d.getValue())
                                        .isEqualTo(
                                                traced("11", "k2", "", 0).getOrigin().getValue());
                            });
            // Halving 16 down to the one event: two calls per level, plus one canary.
            assertThat(faults.batchCalls()).hasSizeLessThanOrEqualTo(1 + 2 * 4);
            assertThat(faults.calls().size() - faults.batchCalls().size()).isEqualTo(1);
        }
    }

    @Test
    void aDeadLetteredPoisonEventIsLoggedWithItsCountAndReasonButNotItsText() throws Exception {
        faults.poison("POISON");
        String text = "my card number is 4111 POISON";
        try (LogCapture log = LogCapture.start();
                var h = new Setup().size(8).open()) {
            for (int i = 0; i < 8; i++) {
                h.processElement(
                        new StreamRecord<>(
                                traced(
                                        String.valueOf(i),
                                        "k" + i,
                                        i == 5 ? text : "fine " + i,
                                        200 + i)));
            }
            drainUntil(h, () -> labeled(h).size() + deadLetters(h).size() == 8);
            assertThat(deadLetters(h)).hasSize(1);
            assertThat(log.text())
                    .contains("WARN")
                    .containsPattern(
                            "Dead-lettered 1 of 8 events of batch \\d+ \\(reason INFERENCE_FAILED")
                    .contains("first at in-0@205")
                    .contains("splitting it in halves")
                    .contains("the event is to blame")
                    .doesNotContain("4111")
                    .doesNotContain("POISON");
        }
    }

    @Test
    void aPoisonEventFailsTheJobNamingItsOffsetWhenThePolicyIsFail() throws Exception {
        faults.poison("POISON");
        try (var h = new Setup().size(4).policy(InferenceFailurePolicy.FAIL).open()) {
            for (int i = 0; i < 3; i++) {
                h.processElement(record(String.valueOf(i), "k"));
            }
            h.processElement(new StreamRecord<>(traced("3", "k", "POISON", 42)));
            assertThatThrownBy(() -> drainUntil(h, () -> false))
                    .isInstanceOf(InferenceFailedException.class)
                    .hasMessageContaining("in-0@42");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aBrokenModelIsNotBlamedOnTheEventsAndTimesOutWithoutDeadLetters() throws Exception {
        faults.broken(true);
        try (var h = new Setup().size(4).timeout(Duration.ofSeconds(10)).open()) {
            advance(h, 0);
            for (int i = 0; i < 4; i++) {
                h.processElement(record(String.valueOf(i), "k" + i));
            }
            // Let the runner split and probe the model with the canary for a while.
            long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
            drainUntil(h, () -> System.nanoTime() > until);
            assertThat(deadLetters(h)).isEmpty();
            assertThat(labeled(h)).isEmpty();
            assertThatThrownBy(() -> advance(h, 10_000))
                    .hasStackTraceContaining("did not finish within inference.timeout");
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void aStalledBatchFailsTheTaskAfterTheTimeoutAndTheRestoreLabelsEverything() throws Exception {
        OperatorSubtaskState snapshot;
        faults.hangOnce(2_000);
        try (var h = new Setup().size(2).timeout(Duration.ofSeconds(1)).open()) {
            advance(h, 0);
            h.processElement(record("1", "a"));
            h.processElement(record("2", "b"));
            snapshot = h.snapshot(2, 1);
            assertThatThrownBy(() -> advance(h, 1_000))
                    .hasStackTraceContaining("did not finish within inference.timeout");
            assertThat(labeled(h)).isEmpty();
            assertThat(deadLetters(h)).isEmpty();
        }
        // The stalled model was retired: the restored task gets a fresh one, not the stuck thread.
        try (var h = new Setup().size(2).restore(snapshot).open()) {
            long start = System.nanoTime();
            h.endInput();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(ids(labeled(h))).containsExactlyInAnyOrder("1", "2");
        }
    }

    // --- fixtures ---

    private static StreamRecord<TracedEvent> record(String id, String key) {
        return new StreamRecord<>(traced(id, key, id, Long.parseLong(id)));
    }

    private static List<LabeledEvent> labeled(
            KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent> h) {
        return h.extractOutputValues();
    }

    private static List<DeadLetter> deadLetters(
            KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent> h) {
        var side = h.getSideOutput(BatchInferenceOperator.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private static List<String> ids(List<LabeledEvent> events) {
        return events.stream().map(e -> e.getEvent().getEventId()).toList();
    }

    private static Map<String, List<Integer>> perKeyIds(List<LabeledEvent> events) {
        Map<String, List<Integer>> perKey = new HashMap<>();
        for (LabeledEvent e : events) {
            perKey.computeIfAbsent(e.getEvent().getKey(), k -> new ArrayList<>())
                    .add(Integer.parseInt(e.getEvent().getEventId()));
        }
        return perKey;
    }

    /** Settings of one harness; each test changes what it is about. */
    private static final class Setup {
        int size = 8;
        int tokens = 100_000;
        int capacity = 2;
        boolean flushWhenIdle;
        Duration timeout = Duration.ofSeconds(60);
        InferenceFailurePolicy policy = InferenceFailurePolicy.DEAD_LETTER;
        int parallelism = 1;
        int subtask;
        OperatorSubtaskState restore;

        Setup size(int n) {
            size = n;
            return this;
        }

        Setup tokens(int n) {
            tokens = n;
            return this;
        }

        Setup capacity(int n) {
            capacity = n;
            return this;
        }

        Setup flushWhenIdle() {
            flushWhenIdle = true;
            return this;
        }

        Setup timeout(Duration d) {
            timeout = d;
            return this;
        }

        Setup policy(InferenceFailurePolicy p) {
            policy = p;
            return this;
        }

        Setup parallelism(int n, int index) {
            parallelism = n;
            subtask = index;
            return this;
        }

        Setup restore(OperatorSubtaskState state) {
            restore = state;
            return this;
        }

        KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent> open()
                throws Exception {
            var factory =
                    new BatchInferenceOperatorFactory(
                            new BatchingSettings(size, tokens, MAX_WAIT, flushWhenIdle),
                            new InferenceSettings(bundle, 1, 1, 64, 100_000, 8, false, false),
                            new FailureSettings(
                                    timeout, Duration.ofMillis(5), Duration.ofMillis(50), policy),
                            capacity,
                            DeadLetterLimits.defaults());
            var h =
                    new KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent>(
                            factory,
                            e -> e.getEvent().getKey(),
                            Types.STRING,
                            MAX_PARALLELISM,
                            parallelism,
                            subtask);
            h.setup(
                    new AvroTypeInfo<>(LabeledEvent.class)
                            .createSerializer(new SerializerConfigImpl()));
            if (restore != null) {
                h.initializeState(restore);
            }
            h.open();
            return h;
        }
    }
}
