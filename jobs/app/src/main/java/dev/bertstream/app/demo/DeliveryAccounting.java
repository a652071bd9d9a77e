package dev.bertstream.app.demo;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.TextEvent;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts for every record sent by id, never by differences of totals: a valid event by its event
 * id, a malformed record by the input partition and offset it was written to. A labeled event names
 * its event id; a dead letter names its source partition and offset (decoding failed) or carries
 * the event (inference failed). {@code lost} counts sent ids seen nowhere, {@code duplicates} ids
 * seen more than once (twice labeled, twice dead-lettered, or both), so a loss in one topic cannot
 * cancel a duplicate in another. Thread-safe.
 */
@Internal
public final class DeliveryAccounting {

    private static final String INFERENCE_STAGE = "inference";

    private final Map<String, Boolean> sent = new ConcurrentHashMap<>();
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();
    private final AtomicLong labeledRecords = new AtomicLong();
    private final AtomicLong deadLetterRecords = new AtomicLong();
    private final AtomicLong unidentified = new AtomicLong();

    /** The totals and the id-based verdict at one moment. */
    public record Snapshot(
            long in,
            long labeled,
            long deadLetters,
            long lost,
            long duplicates,
            long unidentified) {

        /** Every sent id seen exactly once and nothing unaccounted for. */
        public boolean exact() {
            return lost == 0 && duplicates == 0 && unidentified == 0;
        }

        /** {@code in=N labeled=N dlq=N lost=N duplicates=N}. */
        public String line() {
            return String.format(
                    "in=%d labeled=%d dlq=%d lost=%d duplicates=%d",
                    in, labeled, deadLetters, lost, duplicates);
        }
    }

    /** The id of a malformed record: where it was written in the input topic. */
    public static String offsetId(int partition, long offset) {
        return "offset:" + partition + "/" + offset;
    }

    /** Records a valid event sent with {@code eventId}. */
    public void sentEvent(String eventId) {
        sent.put(eventId, Boolean.TRUE);
    }

    /** Records a malformed record once the broker acknowledged its partition and offset. */
    public void sentMalformed(int partition, long offset) {
        sent.put(offsetId(partition, offset), Boolean.TRUE);
    }

    /** Records a labeled event read back. */
    public void labeled(String eventId) {
        labeledRecords.incrementAndGet();
        seen.merge(eventId, 1, Integer::sum);
    }

    /** Records a dead letter read back. */
    public void deadLetter(DeadLetter d) {
        deadLetterRecords.incrementAndGet();
        String id = idOf(d);
        if (id == null) {
            unidentified.incrementAndGet();
        } else {
            seen.merge(id, 1, Integer::sum);
        }
    }

    /** Ids sent so far. */
    /** Whether this run sent the event {@code eventId}. */
    public boolean wasSent(String eventId) {
        return sent.containsKey(eventId);
    }

    public long sentCount() {
        return sent.size();
    }

    public Snapshot snapshot() {
        long lost = sent.keySet().stream().filter(id -> !seen.containsKey(id)).count();
        long duplicates = seen.values().stream().filter(c -> c > 1).count();
        return new Snapshot(
                sent.size(),
                labeledRecords.get(),
                deadLetterRecords.get(),
                lost,
                duplicates,
                unidentified.get());
    }

    /**
     * The id a dead letter accounts for: the event id when inference failed (the value is the event
     * in single-object encoding), else the source partition and offset.
     */
    static String idOf(DeadLetter d) {
        if (INFERENCE_STAGE.equals(d.getStage()) && d.getValue() != null) {
            try {
                return TextEvent.fromByteBuffer(d.getValue().duplicate()).getEventId();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return offsetId(d.getSourcePartition(), d.getSourceOffset());
    }
}
