package dev.bertstream.app.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Notices when this JVM did not run for a while (the process stopped by a scheduler, a machine
 * swapping, a long GC): a thread that ticks every 100 ms and records every gap between ticks longer
 * than {@link #MIN_PAUSE_MILLIS}. On a shared machine a paused benchmark measures the pause, not
 * the job: the report names them and the steady rates leave them out.
 */
final class PauseDetector implements AutoCloseable {

    static final long MIN_PAUSE_MILLIS = 2000;
    private static final long TICK_MILLIS = 100;

    /** A stretch of wall-clock time in which this JVM did not run, epoch ms. */
    record Pause(long fromMillis, long toMillis) {
        long millis() {
            return toMillis - fromMillis;
        }
    }

    private final List<Pause> pauses = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    PauseDetector() {
        thread = new Thread(this::tick, "bench-pause-detector");
        thread.setDaemon(true);
        thread.start();
    }

    private void tick() {
        long last = System.currentTimeMillis();
        while (running) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            if (now - last > MIN_PAUSE_MILLIS) {
                synchronized (pauses) {
                    pauses.add(new Pause(last + TICK_MILLIS, now));
                }
            }
            last = now;
        }
    }

    /** The pauses seen so far, oldest first. */
    List<Pause> pauses() {
        synchronized (pauses) {
            return List.copyOf(pauses);
        }
    }

    /** Milliseconds of {@code pauses} that fall within [{@code from}, {@code to}]. */
    static long pausedWithin(List<Pause> pauses, long from, long to) {
        long total = 0;
        for (Pause p : pauses) {
            total += Math.max(0, Math.min(to, p.toMillis()) - Math.max(from, p.fromMillis()));
        }
        return total;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
