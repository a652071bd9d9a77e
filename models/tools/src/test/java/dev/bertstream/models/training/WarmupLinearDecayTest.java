package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WarmupLinearDecayTest {

    private static final double PEAK = 1e-4;

    @Test
    void risesLinearlyToThePeakOverTheWarmUpShare() {
        WarmupLinearDecay s = new WarmupLinearDecay(PEAK, 0.1);
        // 100 updates, 10 of warm-up: update i has (i + 1) tenths of the peak.
        for (int step = 0; step < 10; step++) {
            assertThat(s.rateAt(step, 100)).isCloseTo(PEAK * (step + 1) / 10, within(1e-15));
        }
    }

    @Test
    void thenDecaysLinearlyToZeroAtTheEnd() {
        WarmupLinearDecay s = new WarmupLinearDecay(PEAK, 0.1);
        assertThat(s.rateAt(10, 100)).isCloseTo(PEAK, within(1e-15));
        assertThat(s.rateAt(55, 100)).isCloseTo(PEAK / 2, within(1e-15));
        assertThat(s.rateAt(99, 100)).isCloseTo(PEAK / 90, within(1e-15));
        assertThat(s.rateAt(100, 100)).isZero();
        for (int step = 11; step < 100; step++) {
            assertThat(s.rateAt(step, 100)).isLessThan(s.rateAt(step - 1, 100));
        }
    }

    @Test
    void noWarmUpStartsAtThePeak() {
        WarmupLinearDecay s = new WarmupLinearDecay(PEAK, 0);
        assertThat(s.rateAt(0, 50)).isEqualTo(PEAK);
        assertThat(s.rateAt(25, 50)).isCloseTo(PEAK / 2, within(1e-15));
    }

    @Test
    void aRunTooShortForATenthStillWarmsUpOverOneWholeUpdate() {
        // ceil(0.1 * 3) = 1 update of warm-up: the first update runs at the peak.
        WarmupLinearDecay s = new WarmupLinearDecay(PEAK, 0.1);
        assertThat(s.rateAt(0, 3)).isEqualTo(PEAK);
        assertThat(s.rateAt(1, 3)).isEqualTo(PEAK);
        assertThat(s.rateAt(2, 3)).isCloseTo(PEAK / 2, within(1e-15));
    }
}
