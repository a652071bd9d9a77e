package dev.bertstream.app.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SteadyThroughputTest {

    /** A slow start (10 events over 10 s) then 100 events/s for 9 s, given out of order. */
    private static long[] slowStartThenSteady() {
        long[] t = new long[10 + 900];
        for (int i = 0; i < 10; i++) {
            t[i] = i * 1000L;
        }
        for (int i = 0; i < 900; i++) {
            t[10 + i] = 10_000 + i * 10L;
        }
        // Out of order, as a reader sees partitions.
        long first = t[0];
        t[0] = t[t.length - 1];
        t[t.length - 1] = first;
        return t;
    }

    @Test
    void skippingTheStartUpMeasuresTheSteadyRate() {
        double steady = SteadyThroughput.eventsPerSecond(slowStartThenSteady(), 0.1);

        assertThat(steady).isCloseTo(100.0, within(1.0));
    }

    @Test
    void withoutSkippingTheSlowStartPullsTheRateDown() {
        double whole = SteadyThroughput.eventsPerSecond(slowStartThenSteady(), 0);

        // 909 events after the first over 18.99 s.
        assertThat(whole).isCloseTo(909 / 18.99, within(0.1));
    }

    @Test
    void eventsInTheStartMillisecondCountAsStartUp() {
        double rate = SteadyThroughput.eventsPerSecond(new long[] {0, 0, 0, 1000, 2000}, 0);

        assertThat(rate).isEqualTo(1.0);
    }

    @Test
    void timeTheJvmWasPausedIsLeftOut() {
        // 100 events/s for 9 s with a 5-s pause in the middle: 900 events over 14 s of wall clock.
        long[] t = new long[901];
        for (int i = 0; i <= 900; i++) {
            t[i] = i * 10L + (i > 450 ? 5000 : 0);
        }
        List<PauseDetector.Pause> pauses = List.of(new PauseDetector.Pause(4505, 9505));

        assertThat(SteadyThroughput.eventsPerSecond(t, 0)).isCloseTo(900 / 14.0, within(0.1));
        assertThat(SteadyThroughput.eventsPerSecond(t, 0, pauses)).isCloseTo(100.0, within(0.1));
    }

    @Test
    void pausesOutsideTheIntervalCountOnlyWhereTheyOverlap() {
        List<PauseDetector.Pause> pauses =
                List.of(
                        new PauseDetector.Pause(0, 1000),
                        new PauseDetector.Pause(1500, 2500),
                        new PauseDetector.Pause(9000, 12000));

        assertThat(PauseDetector.pausedWithin(pauses, 2000, 10000)).isEqualTo(500 + 1000);
    }

    @Test
    void tooFewDistinctTimesGiveNaN() {
        assertThat(SteadyThroughput.eventsPerSecond(new long[] {5}, 0)).isNaN();
        assertThat(SteadyThroughput.eventsPerSecond(new long[] {5, 5, 5}, 0)).isNaN();
    }

    @Test
    void skipOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> SteadyThroughput.eventsPerSecond(new long[] {1, 2}, 1.0))
                .hasMessageContaining("skipFraction");
    }
}
