package dev.bertstream.jobs.batching;

import dev.bertstream.events.TextEvent;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Buffers events of many keys and flushes them as one {@link MicroBatch} when the batch reaches its
 * max size, its token budget, or its max wait (a processing-time timer from the oldest buffered
 * event).
 *
 * <p>Buffered events live in keyed list state, so a checkpoint holds them and a failure loses none
 * (the source resumes after them); on restore the in-memory index of keys with pending events is
 * rebuilt from the state backend, which also works after rescaling. Events of one key leave in
 * arrival order: within a batch in list order, across batches in emission order.
 */
public class KeyedMicroBatchOperator extends AbstractStreamOperator<MicroBatch>
        implements OneInputStreamOperator<TextEvent, MicroBatch>,
                Triggerable<String, VoidNamespace>,
                BoundedOneInput {

    @VisibleForTesting static final String STATE_NAME = "micro-batch-buffer";

    private final int maxBatchSize;
    private final int maxBatchTokens;
    private final long maxWaitMillis;
    private final TokenEstimator tokens;

    private transient ListState<Tuple2<TextEvent, Long>> buffer;
    private transient InternalTimerService<VoidNamespace> timers;

    /** Keys with buffered events, in first-arrival order, with their event counts. */
    private transient LinkedHashMap<String, Integer> pendingKeys;

    private transient int pendingEvents;
    private transient long pendingTokens;
    private transient long deadline;

    private transient Histogram batchSizes;
    private transient Histogram queueWait;
    private transient Map<FlushReason, Counter> flushes;

    public KeyedMicroBatchOperator(
            int maxBatchSize, int maxBatchTokens, long maxWaitMillis, TokenEstimator tokens) {
        if (maxBatchSize < 1 || maxBatchTokens < 1 || maxWaitMillis < 1) {
            throw new IllegalArgumentException(
                    "batch size, token budget and max wait must be positive");
        }
        this.maxBatchSize = maxBatchSize;
        this.maxBatchTokens = maxBatchTokens;
        this.maxWaitMillis = maxWaitMillis;
        this.tokens = tokens;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        buffer =
                context.getKeyedStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME,
                                        new TupleTypeInfo<>(
                                                new AvroTypeInfo<>(TextEvent.class), Types.LONG)));
    }

    @Override
    public void open() throws Exception {
        super.open();
        timers =
                getInternalTimerService(
                        "micro-batch-timers", VoidNamespaceSerializer.INSTANCE, this);
        batchSizes =
                getMetricGroup().histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        queueWait =
                getMetricGroup().histogram("queueWaitMs", new DescriptiveStatisticsHistogram(1000));
        getMetricGroup().gauge("bufferedEvents", () -> pendingEvents);
        flushes = new LinkedHashMap<>();
        for (FlushReason r : FlushReason.values()) {
            flushes.put(r, getMetricGroup().counter("flushes" + r.name()));
        }
        rebuildIndex();
    }

    /** Finds the events a restored checkpoint holds and schedules their flush. */
    private void rebuildIndex() throws Exception {
        pendingKeys = new LinkedHashMap<>();
        pendingEvents = 0;
        pendingTokens = 0;
        List<String> keys = new ArrayList<>();
        getKeyedStateBackend()
                .<VoidNamespace>getKeys(STATE_NAME, VoidNamespace.INSTANCE)
                .forEach(k -> keys.add((String) k));
        for (String key : keys) {
            setCurrentKey(key);
            int count = 0;
            for (Tuple2<TextEvent, Long> e : buffer.get()) {
                count++;
                pendingTokens += tokens.estimate(e.f0.getText());
            }
            if (count > 0) {
                pendingKeys.put(key, count);
                pendingEvents += count;
            }
        }
        if (pendingEvents > 0) {
            setCurrentKey(pendingKeys.keySet().iterator().next());
            scheduleFlush(getProcessingTimeService().getCurrentProcessingTime());
        }
    }

    @Override
    public void processElement(StreamRecord<TextEvent> record) throws Exception {
        String key = (String) getCurrentKey();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        buffer.add(Tuple2.of(record.getValue(), now));
        pendingKeys.merge(key, 1, Integer::sum);
        pendingEvents++;
        pendingTokens += tokens.estimate(record.getValue().getText());
        if (pendingEvents == 1) {
            scheduleFlush(now);
        }
        if (pendingEvents >= maxBatchSize) {
            flush(FlushReason.SIZE);
        } else if (pendingTokens >= maxBatchTokens) {
            flush(FlushReason.TOKENS);
        }
    }

    private void scheduleFlush(long now) {
        deadline = now + maxWaitMillis;
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, deadline);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        // Timers of batches that already left by size or tokens still fire; only the current
        // deadline counts.
        if (pendingEvents > 0 && timer.getTimestamp() >= deadline) {
            flush(FlushReason.TIMER);
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    @Override
    public void endInput() throws Exception {
        if (pendingEvents > 0) {
            flush(FlushReason.END_OF_INPUT);
        }
    }

    private void flush(FlushReason reason) throws Exception {
        Object currentKey = getCurrentKey();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        List<TextEvent> events = new ArrayList<>(pendingEvents);
        long[] arrivals = new long[pendingEvents];
        for (String key : pendingKeys.keySet()) {
            setCurrentKey(key);
            for (Tuple2<TextEvent, Long> e : buffer.get()) {
                arrivals[events.size()] = e.f1;
                events.add(e.f0);
                queueWait.update(now - e.f1);
            }
            buffer.clear();
        }
        if (currentKey != null) {
            setCurrentKey(currentKey);
        }
        pendingKeys.clear();
        pendingEvents = 0;
        pendingTokens = 0;
        deadline = Long.MAX_VALUE;
        batchSizes.update(events.size());
        flushes.get(reason).inc();
        output.collect(new StreamRecord<>(new MicroBatch(events, arrivals, reason, now)));
    }
}
