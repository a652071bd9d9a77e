package dev.bertstream.app.demo;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;

import org.apache.flink.annotation.Internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The round trip of the demo's traffic: what was produced and what came back from the output topics
 * (counts, labels, end-to-end and processing latencies, recent examples, and the per-id
 * accounting), for the live view and the final accounting line. Thread-safe.
 */
@Internal
public final class RoundTripStats {

    public final AtomicLong produced = new AtomicLong();
    public final AtomicLong producedMalformed = new AtomicLong();
    public final AtomicLong labeled = new AtomicLong();
    final AtomicLong moderated = new AtomicLong();
    final AtomicLong deadLetters = new AtomicLong();
    final Map<String, LongAdder> labels = new ConcurrentHashMap<>();

    /** Events labeled per model name, and how many of them were written in Chinese script. */
    private final Map<String, LongAdder[]> byModel = new ConcurrentHashMap<>();

    /** Every record sent and read back, by id: the source of the accounting line. */
    public final DeliveryAccounting accounting = new DeliveryAccounting();

    private final java.util.Set<String> labeledIds = ConcurrentHashMap.newKeySet();
    private final Deque<String> examples = new ArrayDeque<>();
    private final long[] latencies = new long[100_000];
    private final long[] processingLatencies = new long[100_000];
    private int latencyCount;
    private final long[] processedAt = new long[100_000];

    /** Records a labeled event read from the output topic, if this run sent it. */
    public void onLabeled(LabeledEvent e, long nowMillis) {
        // Outputs of earlier traffic in the same topics (a benchmark's warm-up, an earlier demo
        // against the same cluster) are not this run's.
        if (!accounting.wasSent(e.getEvent().getEventId())) {
            return;
        }
        accounting.labeled(e.getEvent().getEventId());
        if (!labeledIds.add(e.getEvent().getEventId())) {
            return;
        }
        labeled.incrementAndGet();
        LongAdder[] model =
                byModel.computeIfAbsent(
                        e.getModelName(), k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        model[0].increment();
        if (isChinese(e.getEvent().getText())) {
            model[1].increment();
        }
        for (TaskResult r : e.getResults()) {
            labels.computeIfAbsent(r.getTask() + "=" + r.getLabel(), k -> new LongAdder())
                    .increment();
        }
        synchronized (this) {
            long created = e.getEvent().getCreatedAt().toEpochMilli();
            processingLatencies[latencyCount % latencies.length] =
                    e.getProcessedAt().toEpochMilli() - created;
            processedAt[latencyCount % latencies.length] = e.getProcessedAt().toEpochMilli();
            latencies[latencyCount++ % latencies.length] = nowMillis - created;
            examples.addFirst(describe(e));
            while (examples.size() > 5) {
                examples.removeLast();
            }
        }
    }

    /** Records a dead letter read from the dead-letter topic. */
    public void onDeadLetter(DeadLetter d) {
        accounting.deadLetter(d);
        deadLetters.incrementAndGet();
    }

    /**
     * Whether every sent record is acknowledged and seen in the output (or dead-letter) topic;
     * duplicates do not make it false, the accounting line reports them.
     */
    public boolean allAccountedFor() {
        return accounting.sentCount() >= produced.get() && accounting.snapshot().lost() == 0;
    }

    /** End-to-end latency percentile in ms (creation to read back, over the last 100k events). */
    public synchronized long latencyPercentile(double p) {
        return percentile(latencies, p);
    }

    /**
     * Creation to labeled-event production (before the output transaction commits), percentile in
     * ms.
     */
    public synchronized long processingLatencyPercentile(double p) {
        return percentile(processingLatencies, p);
    }

    /**
     * Events labeled per second by the job, from the labeled events' processing times (over the
     * last 100k): the events processed after the first one over the time from the first to the
     * last. Excludes job start-up and the wait for the last transaction to commit.
     */
    public synchronized double processingThroughput() {
        int n = Math.min(latencyCount, processedAt.length);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            first = Math.min(first, processedAt[i]);
            last = Math.max(last, processedAt[i]);
        }
        long after = 0;
        for (int i = 0; i < n; i++) {
            after += processedAt[i] > first ? 1 : 0;
        }
        return last > first ? after / ((last - first) / 1000.0) : Double.NaN;
    }

    /** Sorted end-to-end latencies, for a CDF plot. */
    public synchronized long[] sortedLatencies() {
        long[] copy = Arrays.copyOf(latencies, Math.min(latencyCount, latencies.length));
        Arrays.sort(copy);
        return copy;
    }

    private long percentile(long[] values, double p) {
        int n = Math.min(latencyCount, values.length);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(values, n);
        Arrays.sort(copy);
        return copy[(int) Math.min(n - 1, Math.floor(p * n))];
    }

    synchronized String[] examples() {
        return examples.toArray(new String[0]);
    }

    Map<String, Long> labelCounts() {
        Map<String, Long> m = new TreeMap<>();
        labels.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * Labeled events per model, with the Chinese lines among them: {@code chat 712 (Chinese 0),
     * chat-zh 88 (Chinese 88)}. With a Chinese bundle configured, its count and its Chinese count
     * match and every other model's Chinese count is 0.
     */
    public String modelsLine() {
        Map<String, LongAdder[]> sorted = new TreeMap<>(byModel);
        StringBuilder sb = new StringBuilder();
        sorted.forEach(
                (name, counts) ->
                        sb.append(sb.length() == 0 ? "" : ", ")
                                .append(name)
                                .append(' ')
                                .append(counts[0].sum())
                                .append(" (Chinese ")
                                .append(counts[1].sum())
                                .append(')'));
        return sb.length() == 0 ? "(none yet)" : sb.toString();
    }

    /** Whether most of the text's letters are Han characters (the demo's Chinese lines). */
    static boolean isChinese(String text) {
        long letters = text.codePoints().filter(Character::isLetter).count();
        long han =
                text.codePoints()
                        .filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
                        .count();
        return letters > 0 && 2 * han > letters;
    }

    private static String describe(LabeledEvent e) {
        String text = e.getEvent().getText().replaceAll("\\s+", " ");
        StringBuilder sb =
                new StringBuilder(text.length() > 48 ? text.substring(0, 45) + "..." : text);
        sb.append("  →");
        for (TaskResult r : e.getResults()) {
            sb.append(' ').append(r.getLabel()).append(String.format("(%.2f)", r.getScore()));
        }
        // Which model labeled the line: a Chinese bundle's lines say so.
        sb.append("  [").append(e.getModelName()).append(']');
        return sb.toString();
    }
}
