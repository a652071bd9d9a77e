package dev.bertstream.jobs.testutils;

import dev.bertstream.jobs.inference.SharedModels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults injected into the real shared model through {@link SharedModels#setTestHook}: texts that
 * make the model throw, rejected submissions, a model call that hangs once, loads of a bundle that
 * hang until closed. Records every call. Install with {@link #install()}, remove with {@link
 * #close()}.
 */
public final class ModelFaults implements SharedModels.TestHook, AutoCloseable {

    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger poisonCalls = new AtomicInteger();
    private final AtomicBoolean hangArmed = new AtomicBoolean();
    private final AtomicInteger hangs = new AtomicInteger();
    private volatile String poisonMarker;
    private volatile double rejectShare;
    private volatile long hangMillis;
    private volatile int hangAfterCalls;
    private volatile boolean broken;
    private volatile String hangingBundle;
    private final CountDownLatch loadsReleased = new CountDownLatch(1);
    private final AtomicInteger loadsHanging = new AtomicInteger();
    private volatile long slowMillis;
    private final Random random;

    public ModelFaults(long seed) {
        this.random = new Random(seed);
    }

    public ModelFaults install() {
        SharedModels.setTestHook(this);
        return this;
    }

    /** Model calls with a text containing {@code marker} throw. */
    public ModelFaults poison(String marker) {
        this.poisonMarker = marker;
        return this;
    }

    /** This share of submissions is rejected as by a full queue (not counting the canary). */
    public ModelFaults reject(double share) {
        this.rejectShare = share;
        return this;
    }

    /** The next model call blocks its inference thread for {@code millis}. */
    public ModelFaults hangOnce(long millis) {
        return hangOnceAfter(0, millis);
    }

    /** The first model call after {@code calls} submitted calls blocks for {@code millis}. */
    public ModelFaults hangOnceAfter(int calls, long millis) {
        this.hangMillis = millis;
        this.hangAfterCalls = calls;
        hangArmed.set(true);
        return this;
    }

    /**
     * Every call takes at least {@code millis} longer: a slow model that keeps batches in flight.
     */
    public ModelFaults slowEveryCall(long millis) {
        this.slowMillis = millis;
        return this;
    }

    /** Every call throws, the canary's too: a broken model, not a poison event. */
    public ModelFaults broken(boolean on) {
        this.broken = on;
        return this;
    }

    /**
     * Loads of {@code bundle} block until {@link #close()}, deaf to interrupts as a read stuck on a
     * hung file system is.
     */
    public ModelFaults hangLoadsOf(String bundle) {
        this.hangingBundle = bundle;
        return this;
    }

    @Override
    public void beforeLoad(String bundle) {
        if (!bundle.equals(hangingBundle)) {
            return;
        }
        loadsHanging.incrementAndGet();
        boolean interrupted = false;
        while (loadsReleased.getCount() > 0) {
            try {
                loadsReleased.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        loadsHanging.decrementAndGet();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Loads blocked in {@link #hangLoadsOf} right now. */
    public int loadsHanging() {
        return loadsHanging.get();
    }

    @Override
    public void beforeSubmit(List<String> texts) {
        calls.add(List.copyOf(texts));
        boolean reject;
        synchronized (random) {
            reject = rejectShare > 0 && random.nextDouble() < rejectShare;
        }
        if (reject) {
            rejected.incrementAndGet();
            throw new RejectedExecutionException("injected: the model's queue is full");
        }
    }

    @Override
    public void beforePredict(List<String> texts) throws Exception {
        if (slowMillis > 0) {
            Thread.sleep(slowMillis);
        }
        if (broken) {
            throw new IllegalStateException("injected: the model is broken");
        }
        String marker = poisonMarker;
        if (marker != null && texts.stream().anyMatch(t -> t.contains(marker))) {
            poisonCalls.incrementAndGet();
            throw new IllegalArgumentException("injected: the model cannot classify " + marker);
        }
        if (calls.size() > hangAfterCalls && hangArmed.compareAndSet(true, false)) {
            hangs.incrementAndGet();
            Thread.sleep(hangMillis);
        }
    }

    /** Every submitted call's texts, in submission order, canary calls included. */
    public List<List<String>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Submitted calls that were not canary calls. */
    public List<List<String>> batchCalls() {
        return calls().stream().filter(c -> !c.equals(List.of(SharedModels.CANARY_TEXT))).toList();
    }

    public int rejected() {
        return rejected.get();
    }

    public int poisonCalls() {
        return poisonCalls.get();
    }

    public int hangs() {
        return hangs.get();
    }

    @Override
    public void close() {
        SharedModels.setTestHook(null);
        loadsReleased.countDown();
    }
}
