package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Splits sequences into session batches: optionally grouped by length, so each batch pads only to
 * its own longest sequence, and bounded by a sequence count and a padded-token budget.
 *
 * <p>The token budget bounds {@code batchSize × longestSequence}, the size of every activation
 * tensor of the batch, so one batch of long texts cannot take the memory of many batches of short
 * ones.
 *
 * <p>With grouping, the sorted sequences are cut where it is cheapest under a simple cost model: a
 * session call costs its padded tokens plus a fixed {@code callCostTokens} (the time a call takes
 * beyond its tokens, in tokens; on a 2-core CPU a call of MiniLM costs about as much as 30-40 extra
 * tokens). Cutting greedily at the size limits instead lets one batch span short and long texts and
 * pad the short ones; the cost-based cut starts a new batch where the lengths jump, and keeps
 * batches large where they do not.
 */
@PublicEvolving
public final class BatchPlanner {

    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final boolean groupByLength;
    private final int callCostTokens;

    /** The fixed cost of one session call, in tokens, that grouped planning assumes by default. */
    public static final int DEFAULT_CALL_COST_TOKENS = 32;

    /**
     * @param maxBatchSize most sequences per session call
     * @param maxBatchTokens most padded tokens ({@code rows × longest}) per session call
     * @param groupByLength sort by length before cutting batches (cut at the cheapest places)
     */
    public BatchPlanner(int maxBatchSize, int maxBatchTokens, boolean groupByLength) {
        this(maxBatchSize, maxBatchTokens, groupByLength, DEFAULT_CALL_COST_TOKENS);
    }

    /**
     * @param maxBatchSize most sequences per session call
     * @param maxBatchTokens most padded tokens ({@code rows × longest}) per session call
     * @param groupByLength sort by length before cutting batches
     * @param callCostTokens with grouping, the fixed cost of a session call in tokens, for cutting
     *     the sorted sequences where padded tokens plus call costs are least; 0 cuts greedily at
     *     the size limits only
     */
    public BatchPlanner(
            int maxBatchSize, int maxBatchTokens, boolean groupByLength, int callCostTokens) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException(
                    "max batch tokens must be >= 1, got " + maxBatchTokens);
        }
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        this.groupByLength = groupByLength;
        if (callCostTokens < 0) {
            throw new IllegalArgumentException(
                    "call cost must be >= 0 tokens, got " + callCostTokens);
        }
        this.callCostTokens = callCostTokens;
    }

    /**
     * Returns batches of indices into {@code lengths}; every index appears in exactly one batch.
     */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (groupByLength) {
            // Stable sort keeps input order among equal lengths, which keeps results easy to reason
            // about.
            Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
            if (callCostTokens > 0) {
                return cheapestCuts(order, lengths);
            }
        }
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int idx : order) {
            int newLongest = Math.max(longest, lengths[idx]);
            boolean full =
                    current.size() == maxBatchSize
                            || (!current.isEmpty()
                                    && (long) newLongest * (current.size() + 1) > maxBatchTokens);
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

    /**
     * Cuts the length-sorted {@code order} into contiguous batches minimising the sum over batches
     * of {@code rows × longest + callCostTokens}, within the size limits (dynamic programming over
     * cut points).
     */
    private List<int[]> cheapestCuts(Integer[] order, int[] lengths) {
        int n = order.length;
        long[] best = new long[n + 1];
        int[] cut = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            int width = lengths[order[i - 1]];
            best[i] = Long.MAX_VALUE;
            for (int j = i - 1; j >= 0; j--) {
                int rows = i - j;
                if (rows > 1 && (rows > maxBatchSize || (long) rows * width > maxBatchTokens)) {
                    break;
                }
                long cost = best[j] + (long) rows * width + callCostTokens;
                // On equal cost the larger batch (found later) wins: fewer calls.
                if (cost <= best[i]) {
                    best[i] = cost;
                    cut[i] = j;
                }
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int i = n; i > 0; i = cut[i]) {
            int[] batch = new int[i - cut[i]];
            for (int k = cut[i]; k < i; k++) {
                batch[k - cut[i]] = order[k];
            }
            batches.add(batch);
        }
        java.util.Collections.reverse(batches);
        return batches;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
