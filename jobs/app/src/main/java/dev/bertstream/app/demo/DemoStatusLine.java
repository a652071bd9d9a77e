package dev.bertstream.app.demo;

import java.util.Locale;

/**
 * The demo's compact progress for logs and pipes: one line per call instead of the live view's
 * redrawn screen, which would print every frame (about 14 lines a second) where there is no
 * terminal to redraw.
 */
final class DemoStatusLine {

    /** Seconds between status lines; a CI log needs progress, not every second of it. */
    static final int EVERY_SECONDS = 5;

    private long lastProduced;
    private long lastLabeled;
    private long lastAtNanos;

    DemoStatusLine(long startNanos) {
        this.lastAtNanos = startNanos;
    }

    /** The status at {@code nowNanos}, with rates since the previous call (or the start). */
    String next(RoundTripStats s, long elapsedSeconds, long nowNanos) {
        double dt = Math.max(1e-3, (nowNanos - lastAtNanos) / 1e9);
        long produced = s.produced.get();
        long labeled = s.labeled.get();
        String line =
                String.format(
                        Locale.ROOT,
                        "demo %4ds  in %d (%.1f/s)  labeled %d (%.1f/s)  moderation %d"
                                + "  dead letters %d  latency p50 %d ms p99 %d ms (processed p99 %d ms)",
                        elapsedSeconds,
                        produced,
                        (produced - lastProduced) / dt,
                        labeled,
                        (labeled - lastLabeled) / dt,
                        s.moderated.get(),
                        s.deadLetters.get(),
                        s.latencyPercentile(0.5),
                        s.latencyPercentile(0.99),
                        s.processingLatencyPercentile(0.99));
        lastProduced = produced;
        lastLabeled = labeled;
        lastAtNanos = nowNanos;
        return line;
    }
}
