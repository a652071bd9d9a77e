package dev.bertstream.models.inference;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchPlannerTest {

    @Test
    void everyIndexLandsInExactlyOneBatchWithinLimits() {
        int[] lengths = new Random(1).ints(500, 2, 129).toArray();
        List<int[]> batches = new BatchPlanner(32, 2048, true).plan(lengths);
        int[] seen = new int[lengths.length];
        for (int[] b : batches) {
            int longest = Arrays.stream(b).map(i -> lengths[i]).max().orElseThrow();
            assertThat(b.length).isLessThanOrEqualTo(32);
            assertThat(longest * b.length).isLessThanOrEqualTo(2048);
            for (int i : b) {
                seen[i]++;
            }
        }
        assertThat(seen).containsOnly(1);
    }

    @Test
    void groupingByLengthPadsFarLess() {
        int[] lengths = new Random(2).ints(512, 5, 129).toArray();
        assertThat(computed(new BatchPlanner(64, 1 << 20, true).plan(lengths), lengths))
                .isLessThan(
                        computed(new BatchPlanner(64, 1 << 20, false).plan(lengths), lengths)
                                * 3
                                / 4);
    }

    @Test
    void withoutGroupingInputOrderIsKept() {
        int[] lengths = {5, 100, 7, 3};
        assertThat(new BatchPlanner(2, 1000, false).plan(lengths))
                .containsExactly(new int[] {0, 1}, new int[] {2, 3});
    }

    @Test
    void aSequenceLongerThanTheTokenBudgetStillGetsItsOwnBatch() {
        assertThat(new BatchPlanner(8, 10, true).plan(new int[] {50, 3}))
                .containsExactly(new int[] {1}, new int[] {0});
    }

    @Test
    void costBasedCutsSplitWhereLengthsJumpAndKeepEqualLengthsTogether() {
        int[] lengths = new int[40];
        Arrays.fill(lengths, 0, 30, 4);
        Arrays.fill(lengths, 30, 40, 100);
        // Greedy: one batch of 40 padded to 100 tokens. Cost-based: the 30 short ones, then the 10
        // long ones.
        assertThat(new BatchPlanner(64, 1 << 20, true, 0).plan(lengths)).hasSize(1);
        List<int[]> cut = new BatchPlanner(64, 1 << 20, true, 32).plan(lengths);
        assertThat(cut).hasSize(2);
        assertThat(cut.get(0)).hasSize(30);
        assertThat(computed(cut, lengths)).isEqualTo(30 * 4 + 10 * 100);
        // Equal lengths are never split below the size limit: a cut would only add a call.
        assertThat(new BatchPlanner(64, 1 << 20, true, 32).plan(new int[64])).hasSize(1);
    }

    @Test
    void costBasedCutsNeverPadMoreThanGreedyOnesWithTheSameLimits() {
        int[] lengths = new Random(3).ints(2000, 2, 129).toArray();
        for (int size : new int[] {8, 64, 256}) {
            long greedy = computed(new BatchPlanner(size, 4096, true, 0).plan(lengths), lengths);
            assertThat(computed(new BatchPlanner(size, 4096, true, 32).plan(lengths), lengths))
                    .isLessThanOrEqualTo(greedy);
        }
    }

    @Test
    void rejectsNonsenseLimits() {
        assertThatThrownBy(() -> new BatchPlanner(0, 10, true))
                .hasMessageContaining("max batch size");
        assertThatThrownBy(() -> new BatchPlanner(1, 0, true))
                .hasMessageContaining("max batch tokens");
        assertThatThrownBy(() -> new BatchPlanner(1, 1, true, -1))
                .hasMessageContaining("call cost");
    }

    private static long computed(List<int[]> batches, int[] lengths) {
        long total = 0;
        for (int[] b : batches) {
            total += (long) b.length * Arrays.stream(b).map(i -> lengths[i]).max().orElseThrow();
        }
        return total;
    }
}
