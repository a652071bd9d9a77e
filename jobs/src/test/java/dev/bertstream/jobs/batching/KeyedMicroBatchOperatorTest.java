package dev.bertstream.jobs.batching;

import dev.bertstream.events.TextEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.bertstream.jobs.testutils.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

class KeyedMicroBatchOperatorTest {

    static final long MAX_WAIT = 50;
    static final int MAX_PARALLELISM = 128;

    @Test
    void flushesWhenTheBatchIsFull() throws Exception {
        try (var h = harness(3, 10_000)) {
            h.processElement(record(event("1", "a", "hi")));
            h.processElement(record(event("2", "b", "hi")));
            assertThat(batches(h)).isEmpty();
            h.processElement(record(event("3", "a", "hi")));
            assertThat(batches(h))
                    .singleElement()
                    .satisfies(
                            b -> {
                                assertThat(b.reason()).isEqualTo(FlushReason.SIZE);
                                assertThat(ids(b)).containsExactly("1", "3", "2");
                            });
        }
    }

    @Test
    void flushesWhenTheTokenBudgetIsReached() throws Exception {
        try (var h = harness(100, 30)) {
            h.processElement(record(event("1", "a", "x".repeat(60))));
            assertThat(batches(h)).isEmpty();
            h.processElement(record(event("2", "b", "x".repeat(80))));
            assertThat(batches(h))
                    .singleElement()
                    .satisfies(b -> assertThat(b.reason()).isEqualTo(FlushReason.TOKENS));
        }
    }

    @Test
    void flushesWhenTheOldestEventWaitedMaxWait() throws Exception {
        try (var h = harness(100, 10_000)) {
            h.setProcessingTime(1000);
            h.processElement(record(event("1", "a", "hi")));
            h.setProcessingTime(1030);
            h.processElement(record(event("2", "b", "hi")));
            h.setProcessingTime(1049);
            assertThat(batches(h)).isEmpty();
            h.setProcessingTime(1050);
            assertThat(batches(h))
                    .singleElement()
                    .satisfies(
                            b -> {
                                assertThat(b.reason()).isEqualTo(FlushReason.TIMER);
                                assertThat(b.arrivals()).containsExactly(1000, 1030);
                            });
            // The next batch gets its own deadline, counted from its own first event.
            h.setProcessingTime(1060);
            h.processElement(record(event("3", "a", "hi")));
            h.setProcessingTime(1100);
            assertThat(batches(h)).hasSize(1);
            h.setProcessingTime(1110);
            assertThat(batches(h)).hasSize(2);
        }
    }

    @Test
    void keepsPerKeyOrderAcrossManyKeys() throws Exception {
        try (var h = harness(7, 10_000)) {
            for (int i = 0; i < 200; i++) {
                h.processElement(record(event(String.valueOf(i), "k" + (i % 13), "t")));
            }
            h.endInput();
            Map<String, List<Integer>> perKey = new HashMap<>();
            int total = 0;
            for (MicroBatch b : batches(h)) {
                for (TextEvent e : b.events()) {
                    perKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(Integer.parseInt(e.getEventId()));
                    total++;
                }
            }
            assertThat(total).isEqualTo(200);
            perKey.values().forEach(ids -> assertThat(ids).isSorted());
        }
    }

    @Test
    void pendingEventsSurviveSnapshotAndRestoreExactlyOnce() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(100, 10_000)) {
            h.setProcessingTime(0);
            h.processElement(record(event("1", "a", "hi")));
            h.processElement(record(event("2", "b", "hi")));
            snapshot = h.snapshot(1, 10);
            // Output after the checkpoint is lost with the failed task.
        }
        try (var h = harness(100, 10_000, snapshot)) {
            h.setProcessingTime(5);
            h.processElement(record(event("3", "a", "hi")));
            h.setProcessingTime(5 + MAX_WAIT);
            List<String> emitted = batches(h).stream().flatMap(b -> ids(b).stream()).toList();
            assertThat(emitted).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(emitted.indexOf("1")).isLessThan(emitted.indexOf("3"));
        }
    }

    @Test
    void rescalingSplitsPendingEventsWithoutLossOrDuplicates() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(1000, 1_000_000)) {
            for (int i = 0; i < 100; i++) {
                h.processElement(record(event(String.valueOf(i), "key-" + i, "hi")));
            }
            snapshot = h.snapshot(1, 10);
        }
        List<String> emitted = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 2, subtask);
            try (var h =
                    new KeyedOneInputStreamOperatorTestHarness<>(
                            new KeyedMicroBatchOperator(
                                    1000, 1_000_000, MAX_WAIT, new TokenEstimator(128)),
                            TextEvent::getKey,
                            Types.STRING,
                            MAX_PARALLELISM,
                            2,
                            subtask)) {
                h.setup(
                        MicroBatch.TYPE_INFO.createSerializer(
                                new org.apache.flink.api.common.serialization
                                        .SerializerConfigImpl()));
                h.initializeState(part);
                h.open();
                h.endInput();
                batches(h).forEach(b -> emitted.addAll(ids(b)));
            }
        }
        assertThat(emitted).hasSize(100).doesNotHaveDuplicates();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TextEvent, MicroBatch> harness(
            int size, int tokens) throws Exception {
        return harness(size, tokens, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TextEvent, MicroBatch> harness(
            int size, int tokens, OperatorSubtaskState restore) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedMicroBatchOperator(
                                size, tokens, MAX_WAIT, new TokenEstimator(128)),
                        TextEvent::getKey,
                        Types.STRING,
                        MAX_PARALLELISM,
                        1,
                        0);
        h.setup(
                MicroBatch.TYPE_INFO.createSerializer(
                        new org.apache.flink.api.common.serialization.SerializerConfigImpl()));
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static StreamRecord<TextEvent> record(TextEvent e) {
        return new StreamRecord<>(e);
    }

    private static List<MicroBatch> batches(
            KeyedOneInputStreamOperatorTestHarness<String, TextEvent, MicroBatch> h) {
        return h.extractOutputValues();
    }

    private static List<String> ids(MicroBatch b) {
        return b.events().stream().map(TextEvent::getEventId).toList();
    }
}
