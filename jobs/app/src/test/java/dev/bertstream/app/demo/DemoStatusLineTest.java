package dev.bertstream.app.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoStatusLineTest {

    private static final long START = 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void oneLineWithTotalsAndRatesSinceThePreviousLine() {
        RoundTripStats stats = new RoundTripStats();
        DemoStatusLine status = new DemoStatusLine(START);

        stats.produced.set(250);
        stats.labeled.set(240);
        stats.moderated.set(12);
        stats.deadLetters.set(5);
        String first = status.next(stats, 5, START + 5 * SECOND);

        stats.produced.set(500);
        stats.labeled.set(490);
        stats.deadLetters.set(9);
        String second = status.next(stats, 10, START + 10 * SECOND);

        assertThat(first)
                .isEqualTo(
                        "demo    5s  in 250 (50.0/s)  labeled 240 (48.0/s)  moderation 12"
                                + "  dead letters 5  latency p50 0 ms p99 0 ms (processed p99 0 ms)");
        assertThat(second)
                .isEqualTo(
                        "demo   10s  in 500 (50.0/s)  labeled 490 (50.0/s)  moderation 12"
                                + "  dead letters 9  latency p50 0 ms p99 0 ms (processed p99 0 ms)");
        assertThat(first + second).doesNotContain("\n").doesNotContain("\u001b");
    }
}
