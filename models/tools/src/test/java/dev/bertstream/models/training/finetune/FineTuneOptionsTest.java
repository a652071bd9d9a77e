package dev.bertstream.models.training.finetune;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FineTuneOptionsTest {

    @Test
    void learningRateWarmsUpLinearlyThenDecaysToZero() {
        FineTuneOptions o =
                FineTuneOptions.builder().learningRate(1e-4).warmupFraction(0.1).build();
        assertThat(o.learningRateAt(0, 100)).isCloseTo(1e-5, within(1e-12));
        assertThat(o.learningRateAt(9, 100)).isCloseTo(1e-4, within(1e-12));
        assertThat(o.learningRateAt(10, 100)).isCloseTo(1e-4, within(1e-12));
        assertThat(o.learningRateAt(55, 100)).isCloseTo(0.5e-4, within(1e-12));
        assertThat(o.learningRateAt(99, 100)).isCloseTo(1e-4 / 90, within(1e-12));
        for (int step = 11; step < 100; step++) {
            assertThat(o.learningRateAt(step, 100)).isLessThan(o.learningRateAt(step - 1, 100));
        }
    }

    @Test
    void badValuesFailNamingTheRule() {
        assertThatThrownBy(() -> FineTuneOptions.builder().learningRate(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning rate");
        assertThatThrownBy(() -> FineTuneOptions.builder().warmupFraction(1).build())
                .hasMessageContaining("warm-up");
        assertThatThrownBy(() -> FineTuneOptions.builder().epochs(0).build())
                .hasMessageContaining("epochs");
        assertThatThrownBy(() -> FineTuneOptions.builder().dropout(1).build())
                .hasMessageContaining("dropout");
        assertThatThrownBy(() -> FineTuneOptions.builder().dropout(-0.1).build())
                .hasMessageContaining("dropout");
        assertThatThrownBy(() -> FineTuneOptions.builder().labelSmoothing(1).build())
                .hasMessageContaining("label smoothing");
    }
}
