package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MultiLabelMetricsTest {

    @Test
    void microMacroAndPerLabelScoresOfAHandCheckedExample() {
        // gold      predicted
        // {a, b}    {a}
        // {b}       {b, c}
        // {}        {}
        // {a}       {a, b}
        // a: tp 2, fp 0, fn 0 -> P 1, R 1, F1 1
        // b: tp 1, fp 1, fn 1 -> P 0.5, R 0.5, F1 0.5
        // c: tp 0, fp 1, fn 0 -> P 0, R 0, F1 0, support 0 (left out of macro)
        // micro: tp 3, fp 2, fn 1 -> P 0.6, R 0.75, F1 2/3
        MultiLabelMetrics m =
                MultiLabelMetrics.compute(
                        List.of("a", "b", "c"),
                        List.of(Set.of("a", "b"), Set.of("b"), Set.of(), Set.of("a")),
                        List.of(Set.of("a"), Set.of("b", "c"), Set.of(), Set.of("a", "b")));
        assertThat(m.perLabel().get("a").f1()).isEqualTo(1.0);
        assertThat(m.perLabel().get("b").precision()).isEqualTo(0.5);
        assertThat(m.perLabel().get("b").recall()).isEqualTo(0.5);
        assertThat(m.perLabel().get("b").support()).isEqualTo(2);
        assertThat(m.perLabel().get("c").support()).isZero();
        assertThat(m.macroF1()).isCloseTo(0.75, within(1e-12));
        assertThat(m.microPrecision()).isCloseTo(0.6, within(1e-12));
        assertThat(m.microRecall()).isCloseTo(0.75, within(1e-12));
        assertThat(m.microF1()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.subsetAccuracy()).isEqualTo(0.25);
        assertThat(m.examples()).isEqualTo(4);
        assertThat(m.toMarkdown("emotion")).contains("macro-F1 0.7500").contains("| b | 0.5000");
    }
}
