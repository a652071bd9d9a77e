package dev.bertstream.models.training.finetune;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The batches of one training epoch over several tasks: each batch holds examples of one task,
 * examples are shuffled, and within windows of {@link #WINDOW_BATCHES} batches they are sorted by
 * length so batches pad little (a window is small enough that batch composition stays random). The
 * batches of all tasks are then shuffled together, so tasks interleave.
 */
@Internal
public final class TrainingBatches {

    /** Batches per length-sorting window. */
    static final int WINDOW_BATCHES = 50;

    /** A batch: indices into the task's training examples. */
    public record Batch(int task, int[] examples) {}

    private TrainingBatches() {}

    /**
     * @param lengths per task, the token count of each training example
     * @param batchSize examples per batch (the last batch of a task may be smaller)
     * @param random the epoch's randomness; the same state gives the same plan
     */
    public static List<Batch> plan(List<int[]> lengths, int batchSize, Random random) {
        List<Batch> batches = new ArrayList<>();
        for (int task = 0; task < lengths.size(); task++) {
            int[] len = lengths.get(task);
            List<Integer> order = new ArrayList<>(len.length);
            for (int i = 0; i < len.length; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            int window = WINDOW_BATCHES * batchSize;
            for (int start = 0; start < order.size(); start += window) {
                List<Integer> part =
                        new ArrayList<>(
                                order.subList(start, Math.min(order.size(), start + window)));
                part.sort(Comparator.comparingInt(i -> len[i]));
                for (int b = 0; b < part.size(); b += batchSize) {
                    int[] idx =
                            part.subList(b, Math.min(part.size(), b + batchSize)).stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray();
                    batches.add(new Batch(task, idx));
                }
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /** Number of batches {@link #plan} makes, without making them. */
    public static int count(List<int[]> lengths, int batchSize) {
        int n = 0;
        for (int[] len : lengths) {
            int window = WINDOW_BATCHES * batchSize;
            int full = len.length / window;
            int rest = len.length % window;
            n += full * ((window + batchSize - 1) / batchSize) + (rest + batchSize - 1) / batchSize;
        }
        return n;
    }
}
