package dev.bertstream.jobs.inference;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.RecordOrigin;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.batching.FlushReason;
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
import java.util.Iterator;
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
 * <p>With language bundles ({@code inference.language-models}) the operator serves several models
 * and a {@link LanguageRouter} picks each event's model on arrival. Each model forms its own
 * micro-batches, with the same size, token and wait limits: a batch never mixes models. The
 * in-flight events of a conversation are always the oldest ones in its state, so when a
 * conversation switches language, a model's batch takes that conversation's events only up to the
 * first one of another model; the rest follow in a later batch (after at most another max wait).
 * Batches are emitted in the order they were sent, so each conversation still keeps its order.
 *
 * <p>An event stays in keyed state from arrival until its result is emitted, in flight included. A
 * checkpoint therefore holds every event not yet labeled, and a restore, at any parallelism,
 * batches them again from their own key groups, so nothing is lost and each conversation keeps its
 * order. (Flink's async operator keeps in-flight inputs in round-robin operator state instead,
 * which would move a conversation's in-flight events away from its buffered ones on rescale.) An
 * event's model is a function of the event, so the state holds no routes and a restore routes
 * again.
 *
 * <p>At most {@code capacity} batches are in flight, of all models together; when a batch is due
 * and none is free the task thread waits on its mailbox, which is how backpressure reaches the
 * source. A batch that does not finish within {@link FailureSettings#timeout()} fails the task (the
 * job fails over to its last checkpoint): a stalled model never turns healthy events into dead
 * letters.
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
    private final Map<String, InferenceSettings> languageModels;
    private final LanguageRouter router;
    private final FailureSettings failures;
    private final int capacity;
    private final DeadLetterLimits deadLetterLimits;
    private final transient MailboxExecutor mailbox;

    /** Per key: every event not yet emitted, in arrival order, with its arrival time. */
    private transient ListState<Tuple2<TracedEvent, Long>> unlabeled;

    private transient InternalTimerService<VoidNamespace> flushTimers;

    /** The models by route: {@link LanguageRouter#DEFAULT} first, then each language. */
    private transient LinkedHashMap<String, ModelRoute> routes;

    private transient ModelRoute defaultRoute;
    private transient long lastArrival;

    /** Per key: events at the head of its state that are in flight. */
    private transient Map<String, Integer> inFlightPerKey;

    private transient ArrayDeque<InFlightBatch> inFlight;
    private transient long nextBatchId;
    private transient boolean closed;

    private transient ScheduledExecutorService scheduler;
    private transient DeadLetterFactory deadLetters;
    private transient BatchInferenceMetrics metrics;

    BatchInferenceOperator(
            StreamOperatorParameters<LabeledEvent> parameters,
            BatchingSettings batching,
            InferenceSettings inference,
            Map<String, InferenceSettings> languageModels,
            FailureSettings failures,
            int capacity,
            DeadLetterLimits deadLetterLimits) {
        super(parameters);
        this.batching = batching;
        this.inference = inference;
        this.languageModels = languageModels;
        this.router = new LanguageRouter(languageModels.keySet());
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
        routes = new LinkedHashMap<>();
        inFlightPerKey = new HashMap<>();
        inFlight = new ArrayDeque<>();
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "bert-inference-retries");
                            t.setDaemon(true);
                            return t;
                        });
        // Each lease goes into routes as soon as it is taken, so close() releases it if a later
        // bundle fails to load.
        SharedModels.Lease defaultModel = SharedModels.acquire(defaultModelSettings());
        try {
            metrics =
                    new BatchInferenceMetrics(
                            getMetricGroup(),
                            this::bufferedEvents,
                            () -> inFlight.size(),
                            defaultModel);
        } catch (RuntimeException e) {
            defaultModel.close();
            throw e;
        }
        defaultRoute = addRoute(LanguageRouter.DEFAULT, defaultModel);
        for (Map.Entry<String, InferenceSettings> language : languageModels.entrySet()) {
            ModelRoute route =
                    addRoute(language.getKey(), SharedModels.acquire(language.getValue()));
            route.labeled = metrics.addLanguageModel(language.getKey(), route.model);
        }
        for (ModelRoute route : routes.values()) {
            LOG.info(
                    "Subtask {} batches up to {} events / {} tokens / {} ms for the {} model {}"
                            + " version {} (texts estimated at most {} tokens, {} batches in"
                            + " flight)",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                    batching.maxSize(),
                    batching.maxTokens(),
                    batching.maxWaitMillis(),
                    route.describe(),
                    route.model.manifest().name(),
                    route.model.manifest().version(),
                    route.model.manifest().maxSeqLength(),
                    capacity);
            if (route != defaultRoute
                    && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                BundleTaskDifferences.of(
                                route.name, defaultRoute.model.manifest(), route.model.manifest())
                        .forEach(LOG::warn);
            }
        }
        deadLetters = new DeadLetterFactory(deadLetterLimits, Clock.systemUTC());
        rebuildIndex();
    }

    /**
     * The default model to load at start: the configured one here; the last rolled-out one in a
     * {@link HotSwapInferenceOperator} restored from a checkpoint.
     */
    InferenceSettings defaultModelSettings() {
        return inference;
    }

    /** The model that labels events of no language model now. */
    SharedModels.Lease defaultModel() {
        return defaultRoute.model;
    }

    MailboxExecutor mailbox() {
        return mailbox;
    }

    /**
     * Makes {@code model} the default model and releases the previous one (which closes once no
     * subtask of the TaskManager holds it). Only between batches: call {@link #drain()} first, so
     * that no batch of the old model is waiting or in flight.
     */
    void replaceDefaultModel(SharedModels.Lease model) {
        if (defaultRoute.waitingEvents > 0 || !inFlight.isEmpty()) {
            throw new IllegalStateException(
                    "The default model is replaced only between batches; drain first");
        }
        SharedModels.Lease old = defaultRoute.model;
        defaultRoute = addRoute(LanguageRouter.DEFAULT, model);
        metrics.defaultModelReplaced(model);
        old.close();
    }

    private ModelRoute addRoute(String name, SharedModels.Lease model) {
        ModelRoute route =
                new ModelRoute(
                        name,
                        model,
                        new BatchRunner(
                                model, scheduler, failures.initialBackoff(), MAX_BACKOFF, metrics));
        routes.put(name, route);
        return route;
    }

    /** The model that labels {@code event}. */
    private ModelRoute routeOf(TracedEvent event) {
        return routes.getOrDefault(router.route(event.getEvent()), defaultRoute);
    }

    private int bufferedEvents() {
        int n = 0;
        for (ModelRoute r : routes.values()) {
            n += r.waitingEvents;
        }
        return n;
    }

    /** After a restore every event in state waits for a batch again (in-flight ones included). */
    private void rebuildIndex() throws Exception {
        List<String> keys = new ArrayList<>();
        getKeyedStateBackend()
                .<VoidNamespace>getKeys(STATE_NAME, VoidNamespace.INSTANCE)
                .forEach(k -> keys.add((String) k));
        for (String key : keys) {
            setCurrentKey(key);
            for (Tuple2<TracedEvent, Long> e : unlabeled.get()) {
                routeOf(e.f0).add(key, e.f0.getEvent().getText());
            }
        }
        int restored = bufferedEvents();
        if (restored > 0) {
            LOG.info(
                    "Restored {} unlabeled events of {} keys from the checkpoint; batching them"
                            + " again",
                    restored,
                    keys.size());
            metrics.restored.inc(restored);
            long now = getProcessingTimeService().getCurrentProcessingTime();
            for (ModelRoute route : routes.values()) {
                if (route.waitingEvents > 0) {
                    scheduleFlush(route, now);
                }
            }
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
        TracedEvent event = record.getValue();
        unlabeled.add(Tuple2.of(event, now));
        ModelRoute route = routeOf(event);
        route.add(key, event.getEvent().getText());
        if (route.waitingEvents == 1) {
            scheduleFlush(route, now);
        }
        // A full batch holds the task thread (mail still runs) until it has a slot: backpressure.
        // Batches due only by their timer do not: they keep taking events until a slot frees
        // (onCompleted flushes them). Holding the thread there left the events that arrived
        // meanwhile in the network buffers, to arrive in a burst once the slot freed.
        ModelRoute due;
        while ((due = dueRoute()) != null) {
            if (inFlight.size() < capacity) {
                flush(due, dueReason(due));
            } else if (!anyRouteFull()) {
                break;
            } else {
                mailbox.yield();
            }
        }
    }

    /** The first model with a batch due, or null. */
    private ModelRoute dueRoute() {
        for (ModelRoute route : routes.values()) {
            if (dueReason(route) != null) {
                return route;
            }
        }
        return null;
    }

    /**
     * Why {@code route}'s batch should leave now, or null: full, timed out, or (with {@code
     * flushWhenIdle}) nothing in flight, when waiting for more events would only add latency.
     */
    private FlushReason dueReason(ModelRoute route) {
        FlushReason reason = route.dueReason(batching);
        if (reason == null
                && batching.flushWhenIdle()
                && route.waitingEvents > 0
                && inFlight.isEmpty()) {
            return FlushReason.IDLE;
        }
        return reason;
    }

    /** Whether some model's batch is full (by size or tokens), not merely due by its timer. */
    private boolean anyRouteFull() {
        for (ModelRoute route : routes.values()) {
            FlushReason reason = route.dueReason(batching);
            if (reason != null && reason != FlushReason.TIMER) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets {@code route}'s deadline to {@code now} + max wait, with a timer under a waiting key.
     */
    private void scheduleFlush(ModelRoute route, long now) {
        route.deadline = now + batching.maxWaitMillis();
        Object currentKey = getCurrentKey();
        setCurrentKey(route.waiting.keySet().iterator().next());
        flushTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, route.deadline);
        if (currentKey != null) {
            setCurrentKey(currentKey);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        // Timers of batches that already left by size or tokens still fire; only a model's
        // current deadline counts.
        for (ModelRoute route : routes.values()) {
            if (route.waitingEvents > 0 && timer.getTimestamp() >= route.deadline) {
                route.timerDue = true;
            }
        }
        flushWhileDueAndFree();
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    @Override
    public void endInput() throws Exception {
        drain();
    }

    /**
     * Sends every waiting event and waits (running the task's mail) until every batch is emitted:
     * afterwards no event is waiting or in flight.
     */
    void drain() throws Exception {
        while (bufferedEvents() > 0) {
            if (inFlight.size() < capacity) {
                ModelRoute route =
                        routes.values().stream()
                                .filter(r -> r.waitingEvents > 0)
                                .findFirst()
                                .orElseThrow();
                flush(route, FlushReason.END_OF_INPUT);
            } else {
                mailbox.yield();
            }
        }
        while (!inFlight.isEmpty()) {
            mailbox.yield();
        }
    }

    private void flushWhileDueAndFree() throws Exception {
        ModelRoute due;
        while (inFlight.size() < capacity && (due = dueRoute()) != null) {
            flush(due, dueReason(due));
        }
    }

    /**
     * Sends a batch of {@code route}'s waiting events: of each conversation, those from the oldest
     * not in flight up to the first one of another model. When every waiting event of {@code route}
     * follows another model's waiting event, that model's batch goes first (the next call sends
     * {@code route}'s).
     */
    private void flush(ModelRoute route, FlushReason reason) throws Exception {
        Object currentKey = getCurrentKey();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        List<InFlightBatch.Entry> entries = new ArrayList<>(route.waitingEvents);
        long takenTokens = 0;
        ModelRoute blocker = null;
        Iterator<Map.Entry<String, Integer>> waiting = route.waiting.entrySet().iterator();
        while (waiting.hasNext()) {
            Map.Entry<String, Integer> w = waiting.next();
            String key = w.getKey();
            setCurrentKey(key);
            int skip = inFlightPerKey.getOrDefault(key, 0);
            int want = w.getValue();
            int taken = 0;
            int i = 0;
            for (Tuple2<TracedEvent, Long> e : unlabeled.get()) {
                if (i++ < skip) {
                    continue;
                }
                if (taken == want) {
                    break;
                }
                ModelRoute owner = routeOf(e.f0);
                if (owner != route) {
                    blocker = blocker == null ? owner : blocker;
                    break;
                }
                entries.add(new InFlightBatch.Entry(key, e.f0, e.f1));
                metrics.queueWait.update(now - e.f1);
                takenTokens += route.tokens.estimate(e.f0.getEvent().getText());
                taken++;
            }
            if (taken > 0) {
                inFlightPerKey.merge(key, taken, Integer::sum);
            }
            if (taken == want) {
                waiting.remove();
            } else {
                w.setValue(want - taken);
            }
        }
        if (currentKey != null) {
            setCurrentKey(currentKey);
        }
        if (entries.isEmpty()) {
            if (blocker == null) {
                throw new IllegalStateException(
                        "No event of the " + route.describe() + " model could be batched");
            }
            flush(blocker, reason);
            return;
        }
        route.waitingEvents -= entries.size();
        route.waitingTokens -= takenTokens;
        if (route.waitingEvents == 0) {
            route.deadline = Long.MAX_VALUE;
            route.timerDue = false;
        } else if (!route.timerDue) {
            scheduleFlush(route, now);
        }
        metrics.batchSize.update(entries.size());
        metrics.flushes.get(reason).inc();
        submit(new InFlightBatch(nextBatchId++, route, entries, now));
    }

    private void submit(InFlightBatch batch) {
        batch.run = batch.route.runner.start(batch.texts());
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
        flushWhileDueAndFree();
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
                                        batch.route.model.manifest(),
                                        entry.arrivedAt(),
                                        now)));
                metrics.labeled.inc();
                if (batch.route.labeled != null) {
                    batch.route.labeled.inc();
                }
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
        batch.route.model.retire();
        RecordOrigin first = batch.entries.get(0).event().getOrigin();
        LOG.warn(
                "Batch {} of {} events (the first at {}) of the {} model stalled for more than {}:"
                        + " failing over to the last checkpoint with a freshly loaded model ({}"
                        + " batches in flight, {} batches queued for the model)",
                batch.id,
                batch.entries.size(),
                position(first),
                batch.route.describe(),
                TimeUtils.formatWithHighestUnit(failures.timeout()),
                inFlight.size(),
                batch.route.model.queueDepth());
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
        if (routes != null) {
            for (ModelRoute route : routes.values()) {
                route.model.close();
            }
        }
        super.close();
    }
}
