package dev.bertstream.models.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits sequences into session batches: optionally grouped by length, so each batch pads only to its own
 * longest sequence, and bounded by a sequence count and a padded-token budget.
 *
 * <p>The token budget bounds {@code batchSize × longestSequence}, the size of every activation tensor of the
 * batch, so one batch of long texts cannot take the memory of many batches of short ones.
 */
public final class BatchPlanner {

    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final boolean groupByLength;

    /**
     * @param maxBatchSize most sequences per session call
     * @param maxBatchTokens most padded tokens ({@code rows × longest}) per session call
     * @param groupByLength sort by length before cutting batches
     */
    public BatchPlanner(int maxBatchSize, int maxBatchTokens, boolean groupByLength) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be >= 1, got " + maxBatchTokens);
        }
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        this.groupByLength = groupByLength;
    }

    /** Returns batches of indices into {@code lengths}; every index appears in exactly one batch. */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (groupByLength) {
            // Stable sort keeps input order among equal lengths, which keeps results easy to reason about.
            Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        }
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int idx : order) {
            int newLongest = Math.max(longest, lengths[idx]);
            boolean full = current.size() == maxBatchSize
                    || (!current.isEmpty() && (long) newLongest * (current.size() + 1) > maxBatchTokens);
            if (full) {
                batches.add(toArray(current));
                current.clear();
                newLongest = lengths[idx];
            }
            current.add(idx);
            longest = newLongest;
        }
        if (!current.isEmpty()) {
            batches.add(toArray(current));
        }
        return batches;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
