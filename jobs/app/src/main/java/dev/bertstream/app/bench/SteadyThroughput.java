package dev.bertstream.app.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Events/s of a backlog drain, from the times its events were labeled, with the first part left
 * out: a fresh job's first seconds (the model's first calls, the JIT compiling the per-event code,
 * the sinks' first transactions) are slower than its steady state, and by different amounts for
 * different jobs.
 */
final class SteadyThroughput {

    private SteadyThroughput() {}

    /**
     * The events labeled after the {@code skipFraction} earliest ones, over the time from the last
     * skipped one to the last one; NaN when fewer than two distinct times remain.
     *
     * @param labeledAtMillis when each event was labeled, in any order
     * @param skipFraction the share of events, earliest first, counted as start-up (0 to &lt; 1)
     */
    static double eventsPerSecond(long[] labeledAtMillis, double skipFraction) {
        return eventsPerSecond(labeledAtMillis, skipFraction, List.of());
    }

    /**
     * As above, with the time this JVM was paused (see {@link PauseDetector}) taken out of the
     * interval: the job did not run then either, so that time says nothing about its throughput.
     */
    static double eventsPerSecond(
            long[] labeledAtMillis, double skipFraction, List<PauseDetector.Pause> pauses) {
        if (skipFraction < 0 || skipFraction >= 1) {
            throw new IllegalArgumentException(
                    "skipFraction must be in [0, 1), got " + skipFraction);
        }
        long[] t = labeledAtMillis.clone();
        Arrays.sort(t);
        if (t.length < 2) {
            return Double.NaN;
        }
        long start = t[(int) Math.floor(skipFraction * (t.length - 1))];
        long end = t[t.length - 1];
        if (end <= start) {
            return Double.NaN;
        }
        // Events labeled in the same millisecond as the start belong to the start-up side.
        long after = Arrays.stream(t).filter(x -> x > start).count();
        long running = end - start - PauseDetector.pausedWithin(pauses, start, end);
        return running <= 0 ? Double.NaN : after / (running / 1000.0);
    }
}
