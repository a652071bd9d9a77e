package dev.bertstream.jobs.inference;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.RecordOrigin;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.batching.FlushReason;
import dev.bertstream.jobs.batching.TokenEstimator;
import dev.bertstream.serde.DeadLetterFactory;
import dev.bertstream.serde.DeadLetterLimits;
import dev.bertstream.serde.DeadLetterReason;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Keyed micro-batching and asynchronous inference in one operator: buffers events of many
 * conversations, sends a batch to the TaskManager's shared model when it reaches its size, its
 * token budget or its max wait, and emits each batch's labeled events (and the dead letters of
 * events that fail on their own) in batch order.
 *
 * <p>An event stays in keyed state from arrival until its result is emitted, in flight included. A
 * checkpoint therefore holds every event not yet labeled, and a restore, at any parallelism,
 * batches them again from their own key groups, so nothing is lost and each conversation keeps its
 * order. (Flink's async operator keeps in-flight inputs in round-robin operator state instead,
 * which would move a conversation's in-flight events away from its buffered ones on rescale.)
 *
 * <p>At most {@code capacity} batches are in flight; when a batch is due and none is free the task
 * thread waits on its mailbox, which is how backpressure reaches the source. A batch that does not
 * finish within {@link FailureSettings#timeout()} fails the task (the job fails over to its last
 * checkpoint): a stalled model never turns healthy events into dead letters.
 */
@Internal
public class BatchInferenceOperator extends AbstractStreamOperator<LabeledEvent>
        implements OneInputStreamOperator<TracedEvent, LabeledEvent>,
                Triggerable<String, VoidNamespace>,
                BoundedOneInput {

    private static final Logger LOG = LoggerFactory.getLogger(BatchInferenceOperator.class);

    /** Events that fail inference on their own, with {@code on-failure: DEAD_LETTER}. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("inference-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** {@code DeadLetter.stage} of inference failures. */
    public static final String STAGE = "inference";

    @VisibleForTesting static final String STATE_NAME = "unlabeled-events";

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final BatchingSettings batching;
    private final InferenceSettings inference;
    private final FailureSettings failures;
    private final int capacity;
    private final DeadLetterLimits deadLetterLimits;
    private final transient MailboxExecutor mailbox;

    /** Per key: every event not yet emitted, in arrival order, with its arrival time. */
    private transient ListState<Tuple2<TracedEvent, Long>> unlabeled;

    private transient InternalTimerService<VoidNamespace> flushTimers;

    /** Keys with events waiting for a batch, in first-arrival order, with their counts. */
    private transient LinkedHashMap<String, Integer> waiting;

    private transient int waitingEvents;
    private transient long waitingTokens;
    private transient long deadline;
    private transient long lastArrival;
    private transient boolean timerDue;

    /** Per key: events at the head of its state that are in flight. */
    private transient Map<String, Integer> inFlightPerKey;

    private transient ArrayDeque<InFlightBatch> inFlight;
    private transient long nextBatchId;
    private transient boolean closed;

    private transient SharedModels.Lease model;
    private transient TokenEstimator tokens;
    private transient ScheduledExecutorService scheduler;
    private transient BatchRunner runner;
    private transient DeadLetterFactory deadLetters;
    private transient BatchInferenceMetrics metrics;

    BatchInferenceOperator(
            StreamOperatorParameters<LabeledEvent> parameters,
            BatchingSettings batching,
            InferenceSettings inference,
            FailureSettings failures,
            int capacity,
            DeadLetterLimits deadLetterLimits) {
        super(parameters);
        this.batching = batching;
        this.inference = inference;
        this.failures = failures;
        this.capacity = capacity;
        this.deadLetterLimits = deadLetterLimits;
        this.mailbox = parameters.getMailboxExecutor();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        unlabeled =
                context.getKeyedStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE_NAME,
                                        new TupleTypeInfo<>(
                                                new AvroTypeInfo<>(TracedEvent.class),
                                                Types.LONG)));
    }

    @Override
    public void open() throws Exception {
        super.open();
        flushTimers =
                getInternalTimerService(
                        "micro-batch-timers", VoidNamespaceSerializer.INSTANCE, this);
        waiting = new LinkedHashMap<>();
        inFlightPerKey = new HashMap<>();
        inFlight = new ArrayDeque<>();
        model = SharedModels.acquire(inference);
        tokens = new TokenEstimator(model.manifest().maxSeqLength());
        LOG.info(
                "Subtask {} batches up to {} events / {} tokens / {} ms for model {} version {}"
                        + " (texts estimated at most {} tokens, {} batches in flight)",
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                batching.maxSize(),
                batching.maxTokens(),
                batching.maxWaitMillis(),
                model.manifest().name(),
                model.manifest().version(),
                model.manifest().maxSeqLength(),
                capacity);
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "bert-inference-retries");
                            t.setDaemon(true);
                            return t;
                        });
        metrics =
                new BatchInferenceMetrics(
                        getMetricGroup(), () -> waitingEvents, () -> inFlight.size(), model);
        runner = new BatchRunner(model, scheduler, failures.initialBackoff(), MAX_BACKOFF, metrics);
        deadLetters = new DeadLetterFactory(deadLetterLimits, Clock.systemUTC());
        rebuildIndex();
    }

    /** After a restore every event in state waits for a batch again (in-flight ones included). */
    private void rebuildIndex() throws Exception {
        List<String> keys = new ArrayList<>();
        getKeyedStateBackend()
                .<VoidNamespace>getKeys(STATE_NAME, VoidNamespace.INSTANCE)
                .forEach(k -> keys.add((String) k));
        for (String key : keys) {
            setCurrentKey(key);
            int count = 0;
            for (Tuple2<TracedEvent, Long> e : unlabeled.get()) {
                count++;
                waitingTokens += tokens.estimate(e.f0.getEvent().getText());
            }
            if (count > 0) {
                waiting.put(key, count);
                waitingEvents += count;
            }
        }
        if (waitingEvents > 0) {
            LOG.info(
                    "Restored {} unlabeled events of {} keys from the checkpoint; batching them"
                            + " again",
                    waitingEvents,
                    waiting.size());
            metrics.restored.inc(waitingEvents);
            setCurrentKey(waiting.keySet().iterator().next());
            scheduleFlush(getProcessingTimeService().getCurrentProcessingTime());
        }
    }

    @Override
    public void processElement(StreamRecord<TracedEvent> record) throws Exception {
        String key = (String) getCurrentKey();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (lastArrival > 0) {
            metrics.arrivalGap.update(now - lastArrival);
        }
        lastArrival = now;
        unlabeled.add(Tuple2.of(record.getValue(), now));
        waiting.merge(key, 1, Integer::sum);
        waitingEvents++;
        waitingTokens += tokens.estimate(record.getValue().getEvent().getText());
        if (waitingEvents == 1) {
            scheduleFlush(now);
        }
        // A full batch holds the task thread (mail still runs) until it has a slot: backpressure.
        // A batch that is only due by its timer does not: it keeps taking events until a slot
        // frees (onCompleted flushes it). Holding the thread there left the events that arrived
        // meanwhile in the network buffers, to arrive in a burst once the slot freed.
        FlushReason reason;
        while ((reason = dueReason()) != null) {
            if (inFlight.size() < capacity) {
                flush(reason);
            } else if (reason == FlushReason.TIMER) {
                break;
            } else {
                mailbox.yield();
            }
        }
    }

    private FlushReason dueReason() {
        if (waitingEvents >= batching.maxSize()) {
            return FlushReason.SIZE;
        }
        if (waitingTokens >= batching.maxTokens()) {
            return FlushReason.TOKENS;
        }
        return waitingEvents > 0 && timerDue ? FlushReason.TIMER : null;
    }

    private void scheduleFlush(long now) {
        deadline = now + batching.maxWaitMillis();
        flushTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, deadline);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        // Timers of batches that already left by size or tokens still fire; only the current
        // deadline counts.
        if (waitingEvents > 0 && timer.getTimestamp() >= deadline) {
            timerDue = true;
            flushIfDueAndFree();
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    @Override
    public void endInput() throws Exception {
        while (waitingEvents > 0) {
            if (inFlight.size() < capacity) {
                flush(FlushReason.END_OF_INPUT);
            } else {
                mailbox.yield();
            }
        }
        while (!inFlight.isEmpty()) {
            mailbox.yield();
        }
    }

    private void flushIfDueAndFree() throws Exception {
        FlushReason reason = dueReason();
        if (reason != null && inFlight.size() < capacity) {
            flush(reason);
        }
    }

    private void flush(FlushReason reason) throws Exception {
        Object currentKey = getCurrentKey();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        List<InFlightBatch.Entry> entries = new ArrayList<>(waitingEvents);
        for (Map.Entry<String, Integer> w : waiting.entrySet()) {
            String key = w.getKey();
            setCurrentKey(key);
            int skip = inFlightPerKey.getOrDefault(key, 0);
            int take = w.getValue();
            int i = 0;
            for (Tuple2<TracedEvent, Long> e : unlabeled.get()) {
                if (i >= skip && i < skip + take) {
                    entries.add(new InFlightBatch.Entry(key, e.f0, e.f1));
                    metrics.queueWait.update(now - e.f1);
                }
                i++;
            }
            inFlightPerKey.merge(key, take, Integer::sum);
        }
        if (currentKey != null) {
            setCurrentKey(currentKey);
        }
        waiting.clear();
        waitingEvents = 0;
        waitingTokens = 0;
        deadline = Long.MAX_VALUE;
        timerDue = false;
        metrics.batchSize.update(entries.size());
        metrics.flushes.get(reason).inc();
        submit(new InFlightBatch(nextBatchId++, entries, now));
    }

    private void submit(InFlightBatch batch) {
        batch.run = runner.start(batch.texts());
        batch.timeoutTimer =
                getProcessingTimeService()
                        .registerTimer(
                                batch.submittedAt + failures.timeout().toMillis(),
                                t -> onTimeout(batch));
        inFlight.addLast(batch);
        batch.run
                .result()
                .whenComplete(
                        (outcomes, error) -> {
                            try {
                                mailbox.execute(
                                        () -> onCompleted(batch, outcomes, error),
                                        "inference result of batch %s",
                                        batch.id);
                            } catch (RejectedExecutionException closedMailbox) {
                                // The task is gone; its events are replayed from the checkpoint.
                            }
                        });
    }

    private void onCompleted(InFlightBatch batch, BatchRunner.Outcomes outcomes, Throwable error)
            throws Exception {
        if (closed || batch.abandoned) {
            return;
        }
        if (error != null) {
            throw new IllegalStateException("inference of batch " + batch.id + " failed", error);
        }
        batch.outcomes = outcomes;
        batch.timeoutTimer.cancel(false);
        long now = getProcessingTimeService().getCurrentProcessingTime();
        metrics.inferenceMillis.update(now - batch.submittedAt);
        if (outcomes.stats() != null) {
            metrics.paddingEfficiency = outcomes.stats().paddingEfficiency();
            metrics.realTokens.inc(outcomes.stats().realTokens());
            metrics.computedTokens.inc(outcomes.stats().computedTokens());
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst().outcomes != null) {
            emit(inFlight.pollFirst());
        }
        flushIfDueAndFree();
    }

    private void emit(InFlightBatch batch) throws Exception {
        long now = System.currentTimeMillis();
        List<EventOutcome> outcomes = batch.outcomes.events();
        int failed = 0;
        java.util.Set<String> failureTypes = new java.util.TreeSet<>();
        String firstFailed = null;
        for (int i = 0; i < batch.entries.size(); i++) {
            InFlightBatch.Entry entry = batch.entries.get(i);
            EventOutcome outcome = outcomes.get(i);
            if (outcome.isLabeled()) {
                output.collect(
                        new StreamRecord<>(
                                LabeledEvents.of(
                                        entry.event().getEvent(),
                                        outcome.prediction(),
                                        model.manifest(),
                                        entry.arrivedAt(),
                                        now)));
                metrics.labeled.inc();
            } else {
                failed++;
                failureTypes.add(outcome.failure().getClass().getSimpleName());
                if (firstFailed == null) {
                    firstFailed = position(entry.event().getOrigin());
                }
                deadLetter(entry.event().getOrigin(), outcome.failure());
            }
        }
        if (failed > 0) {
            // Counts, reason, failure types and offsets: never the text, which is user content.
            LOG.warn(
                    "Dead-lettered {} of {} events of batch {} (reason {}, failures {}, first at {}):"
                            + " they fail inference on their own, their batch-mates were labeled",
                    failed,
                    batch.entries.size(),
                    batch.id,
                    DeadLetterReason.INFERENCE_FAILED,
                    failureTypes,
                    firstFailed);
        }
        forget(batch);
    }

    private void deadLetter(RecordOrigin origin, Throwable failure) {
        if (failures.policy() == InferenceFailurePolicy.FAIL) {
            throw new InferenceFailedException(
                    String.format(
                            "The event at %s-%d@%d fails inference on its own (its batch-mates"
                                    + " were classified): %s. inference.on-failure is FAIL; set"
                                    + " it to DEAD_LETTER to send such events to the dead-letter"
                                    + " topic instead.",
                            origin.getTopic(), origin.getPartition(), origin.getOffset(), failure),
                    failure);
        }
        output.collect(
                DEAD_LETTERS,
                new StreamRecord<>(
                        deadLetters.create(
                                origin, STAGE, DeadLetterReason.INFERENCE_FAILED, failure)));
        metrics.deadLettered.inc();
    }

    private static String position(RecordOrigin origin) {
        return origin.getTopic() + "-" + origin.getPartition() + "@" + origin.getOffset();
    }

    /** Drops an emitted batch's events from the head of their keys' state. */
    private void forget(InFlightBatch batch) throws Exception {
        Map<String, Integer> perKey = new LinkedHashMap<>();
        batch.entries.forEach(e -> perKey.merge(e.key(), 1, Integer::sum));
        Object currentKey = getCurrentKey();
        for (Map.Entry<String, Integer> k : perKey.entrySet()) {
            setCurrentKey(k.getKey());
            List<Tuple2<TracedEvent, Long>> rest = new ArrayList<>();
            int i = 0;
            for (Tuple2<TracedEvent, Long> e : unlabeled.get()) {
                if (i++ >= k.getValue()) {
                    rest.add(e);
                }
            }
            unlabeled.update(rest);
            inFlightPerKey.compute(
                    k.getKey(), (key, n) -> n - k.getValue() == 0 ? null : n - k.getValue());
        }
        if (currentKey != null) {
            setCurrentKey(currentKey);
        }
    }

    private void onTimeout(InFlightBatch batch) {
        if (batch.outcomes != null || closed) {
            return;
        }
        metrics.timeouts.inc();
        batch.abandoned = true;
        batch.run.cancel();
        // A fresh instance for the restarted tasks rather than a queue behind the stuck call.
        model.retire();
        RecordOrigin first = batch.entries.get(0).event().getOrigin();
        LOG.warn(
                "Batch {} of {} events (the first at {}) stalled for more than {}: failing over to"
                        + " the last checkpoint with a freshly loaded model ({} batches in flight,"
                        + " {} batches queued for the model)",
                batch.id,
                batch.entries.size(),
                position(first),
                TimeUtils.formatWithHighestUnit(failures.timeout()),
                inFlight.size(),
                model.queueDepth());
        throw new InferenceStalledException(
                String.format(
                        "Inference of a batch of %d events (the first at %s-%d@%d) did not finish"
                                + " within inference.timeout (%s). The job fails over to its last"
                                + " checkpoint with a freshly loaded model; no event is"
                                + " dead-lettered. Raise inference.timeout if the model is slow"
                                + " rather than stuck.",
                        batch.entries.size(),
                        first.getTopic(),
                        first.getPartition(),
                        first.getOffset(),
                        TimeUtils.formatWithHighestUnit(failures.timeout())));
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (inFlight != null) {
            for (InFlightBatch b : inFlight) {
                b.abandoned = true;
                if (b.run != null) {
                    b.run.cancel();
                }
            }
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (model != null) {
            model.close();
        }
        super.close();
    }
}
