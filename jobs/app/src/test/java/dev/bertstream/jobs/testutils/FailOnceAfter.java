package dev.bertstream.jobs.testutils;

import dev.bertstream.events.DecodedRecord;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throws once, in one subtask, after the job has passed {@code after} records: a task failure
 * mid-stream, for {@code ClassificationWorkflow.optAfterSource}. State is per name and JVM-wide
 * (the MiniCluster runs in the test's JVM, and the function is serialized into the job), so test
 * classes sharing a failsafe JVM each get their own failure.
 */
public final class FailOnceAfter implements MapFunction<DecodedRecord, DecodedRecord> {

    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();

    private final String name;
    private final int after;

    /** Fails once after {@code after} records; {@code name} keeps it apart from other tests'. */
    public FailOnceAfter(String name, int after) {
        this.name = name;
        this.after = after;
        FAILED.put(name, new AtomicBoolean());
        SEEN.put(name, new AtomicInteger());
    }

    /** Whether the failure named {@code name} has been thrown. */
    public static boolean failed(String name) {
        AtomicBoolean f = FAILED.get(name);
        return f != null && f.get();
    }

    @Override
    public DecodedRecord map(DecodedRecord r) {
        if (SEEN.get(name).incrementAndGet() > after
                && FAILED.get(name).compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + after + " records");
        }
        return r;
    }
}
