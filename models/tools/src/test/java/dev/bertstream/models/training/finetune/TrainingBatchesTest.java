package dev.bertstream.models.training.finetune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingBatchesTest {

    private static int[] lengths(int n, long seed) {
        Random r = new Random(seed);
        int[] len = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = 3 + r.nextInt(120);
        }
        return len;
    }

    @Test
    void everyExampleOfEveryTaskIsInExactlyOneBatchOfItsOwnTask() {
        List<int[]> lengths = List.of(lengths(3_333, 1), lengths(70, 2));
        List<TrainingBatches.Batch> plan = TrainingBatches.plan(lengths, 32, new Random(7));
        assertThat(plan).hasSize(TrainingBatches.count(lengths, 32));
        for (int task = 0; task < lengths.size(); task++) {
            Set<Integer> seen = new HashSet<>();
            int total = 0;
            for (TrainingBatches.Batch b : plan) {
                if (b.task() == task) {
                    assertThat(b.examples().length).isBetween(1, 32);
                    for (int i : b.examples()) {
                        seen.add(i);
                    }
                    total += b.examples().length;
                }
            }
            assertThat(total).isEqualTo(lengths.get(task).length);
            assertThat(seen).hasSize(lengths.get(task).length);
        }
        // Tasks interleave rather than running one after the other.
        List<Integer> order = new ArrayList<>();
        plan.forEach(b -> order.add(b.task()));
        assertThat(order.subList(0, plan.size() / 2)).contains(0, 1);
    }

    @Test
    void lengthGroupingKeepsPaddingLow() {
        List<int[]> lengths = List.of(lengths(6_400, 3));
        long real = 0;
        long padded = 0;
        for (TrainingBatches.Batch b : TrainingBatches.plan(lengths, 32, new Random(1))) {
            int longest = 0;
            for (int i : b.examples()) {
                real += lengths.get(0)[i];
                longest = Math.max(longest, lengths.get(0)[i]);
            }
            padded += (long) longest * b.examples().length;
        }
        // Uniform random lengths batched without grouping pad to ~0.5 efficiency; sorted windows to
        // > 0.9.
        assertThat((double) real / padded).isGreaterThan(0.9);
    }

    @Test
    void theSameSeedGivesTheSamePlan() {
        List<int[]> lengths = List.of(lengths(500, 4));
        List<TrainingBatches.Batch> a = TrainingBatches.plan(lengths, 16, new Random(9));
        List<TrainingBatches.Batch> b = TrainingBatches.plan(lengths, 16, new Random(9));
        List<TrainingBatches.Batch> c = TrainingBatches.plan(lengths, 16, new Random(10));
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).examples()).containsExactly(b.get(i).examples());
        }
        assertThat(a.get(0).examples()).isNotEqualTo(c.get(0).examples());
    }
}
