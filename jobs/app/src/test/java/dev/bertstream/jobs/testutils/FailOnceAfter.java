package dev.bertstream.jobs.testutils;

import dev.bertstream.events.DecodedRecord;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throws once, in one subtask, after the job has passed {@code after} records, a checkpoint has
 * completed and {@link #IN_FLIGHT} records have passed since: a task failure mid-stream that
 * strikes when it matters, with the records that passed since that checkpoint uncommitted
 * downstream (for {@code ClassificationWorkflow.optAfterSource}). {@link #moment} reports what the
 * fault struck after, so a test can assert the moment was real. State is per name and JVM-wide (the
 * MiniCluster runs in the test's JVM, and the function is serialized into the job), so test classes
 * sharing a failsafe JVM each get their own failure.
 */
public final class FailOnceAfter
        implements MapFunction<DecodedRecord, DecodedRecord>, CheckpointListener {

    /**
     * What the injected fault struck after: the last completed checkpoint and the records since.
     */
    public record Moment(long completedCheckpoint, int recordsSinceCheckpoint) {}

    private static final Map<String, AtomicReference<Moment>> MOMENTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> COMPLETED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> SEEN_AT_CHECKPOINT = new ConcurrentHashMap<>();

    /** Records that must pass after the last completed checkpoint: uncommitted work to redo. */
    public static final int IN_FLIGHT = 50;

    private final String name;
    private final int after;

    /**
     * Fails once after {@code after} records and a completed checkpoint; {@code name} keeps it
     * apart.
     */
    public FailOnceAfter(String name, int after) {
        this.name = name;
        this.after = after;
        MOMENTS.put(name, new AtomicReference<>());
        SEEN.put(name, new AtomicInteger());
        COMPLETED.put(name, new AtomicLong());
        SEEN_AT_CHECKPOINT.put(name, new AtomicInteger());
    }

    /** Whether the failure named {@code name} has been thrown. */
    public static boolean failed(String name) {
        return moment(name) != null;
    }

    /** The moment the failure named {@code name} struck, or null if it has not. */
    public static Moment moment(String name) {
        AtomicReference<Moment> m = MOMENTS.get(name);
        return m == null ? null : m.get();
    }

    @Override
    public DecodedRecord map(DecodedRecord r) {
        int seen = SEEN.get(name).incrementAndGet();
        long checkpoint = COMPLETED.get(name).get();
        int sinceCheckpoint = seen - SEEN_AT_CHECKPOINT.get(name).get();
        if (seen > after && checkpoint > 0 && sinceCheckpoint >= IN_FLIGHT) {
            Moment m = new Moment(checkpoint, sinceCheckpoint);
            if (MOMENTS.get(name).compareAndSet(null, m)) {
                throw new IllegalStateException("injected failure: " + m);
            }
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (MOMENTS.get(name).get() == null) {
            COMPLETED.get(name).accumulateAndGet(checkpointId, Math::max);
            SEEN_AT_CHECKPOINT.get(name).set(SEEN.get(name).get());
        }
    }
}
