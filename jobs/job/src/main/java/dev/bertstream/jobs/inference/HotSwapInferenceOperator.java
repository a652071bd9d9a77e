package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.serde.DeadLetterLimits;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The {@link BatchInferenceOperator} with a second, broadcast input of {@link ModelRollout}s: rolls
 * the default model out to another bundle while the job runs.
 *
 * <p>A roll-out starts loading the bundle beside the serving model as it arrives (verified against
 * its sha256, loaded and warmed up off the task thread); the serving model keeps labeling. The
 * switch happens at the barrier of the next checkpoint: before the barrier passes, every event that
 * arrived before it is labeled by the old model (waiting batches are sent, in-flight ones awaited),
 * then the new model takes over and the broadcast state records it. Since the control record
 * reaches every subtask between the same two barriers, all subtasks switch at the same checkpoint,
 * so the events of each input partition change version once, in order; a restore from that
 * checkpoint serves the new version (from the state, not the configuration). If the candidate is
 * still loading when the barrier arrives, the barrier waits for it, up to the load timeout.
 *
 * <p>A load that has not finished within the load timeout ({@code job.rollout-load-timeout}) is
 * rejected as a bundle that fails to verify is. Its loader thread may be stuck in I/O that ignores
 * interrupts, so later roll-outs load on a fresh thread instead of queueing behind it.
 *
 * <p>A bundle that fails to load or verify (a wrong sha256, a damaged file, another version than
 * the roll-out names) is rejected: logged, counted in {@code modelRolloutsRejected}, and the old
 * model keeps serving. The old model's lease is released at the switch, when none of this subtask's
 * batches uses it; the shared model closes once no subtask of the TaskManager holds it. Roll back
 * by publishing the earlier bundle again.
 */
@Internal
public class HotSwapInferenceOperator extends BatchInferenceOperator
        implements TwoInputStreamOperator<TracedEvent, ModelRollout, LabeledEvent>,
                BoundedMultiInput {

    private static final Logger LOG = LoggerFactory.getLogger(HotSwapInferenceOperator.class);

    private transient ActiveRolloutState state;

    /** The roll-out serving as default model; null while the configured model serves. */
    private transient ModelRollout active;

    private final Duration loadTimeout;
    private transient volatile CandidateModel candidate;
    private transient ExecutorService loader;
    private transient Counter applied;
    private transient Counter rejected;

    HotSwapInferenceOperator(
            StreamOperatorParameters<LabeledEvent> parameters,
            BatchingSettings batching,
            InferenceSettings inference,
            Map<String, InferenceSettings> languageModels,
            FailureSettings failures,
            int capacity,
            DeadLetterLimits deadLetterLimits,
            Duration loadTimeout) {
        super(
                parameters,
                batching,
                inference,
                languageModels,
                failures,
                capacity,
                deadLetterLimits);
        this.loadTimeout = loadTimeout;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state = ActiveRolloutState.of(context.getOperatorStateStore());
        active = state.get();
    }

    @Override
    InferenceSettings defaultModelSettings() {
        return active == null ? super.defaultModelSettings() : settingsOf(active);
    }

    private InferenceSettings settingsOf(ModelRollout rollout) {
        return super.defaultModelSettings().forBundle(rollout.getBundleUri(), rollout.getSha256());
    }

    @Override
    public void open() throws Exception {
        loader = newLoader();
        super.open();
        applied = getMetricGroup().counter("modelRolloutsApplied");
        rejected = getMetricGroup().counter("modelRolloutsRejected");
        getMetricGroup().gauge("modelRolloutLoading", () -> candidate == null ? 0 : 1);
        if (active != null) {
            LOG.info(
                    "Subtask {} restored the rolled-out model version {} ({})",
                    subtask(),
                    active.getVersion(),
                    active.getBundleUri());
        }
    }

    @Override
    public void processElement1(StreamRecord<TracedEvent> record) throws Exception {
        processElement(record);
    }

    @Override
    public void processElement2(StreamRecord<ModelRollout> record) {
        ModelRollout rollout = record.getValue();
        CandidateModel previous = candidate;
        if (previous != null) {
            if (previous.rollout.equals(rollout)) {
                return;
            }
            LOG.info(
                    "Model roll-out of version {} superseded by version {} before it served",
                    previous.rollout.getVersion(),
                    rollout.getVersion());
            abandon(previous);
            candidate = null;
        }
        if (rollout.equals(active)) {
            LOG.info("Model version {} already serves; roll-out ignored", rollout.getVersion());
            return;
        }
        LOG.info(
                "Subtask {} loading model version {} from {} beside version {}; it serves from the"
                        + " next checkpoint",
                subtask(),
                rollout.getVersion(),
                rollout.getBundleUri(),
                defaultModel().manifest().version());
        CandidateModel next = CandidateModel.load(rollout, settingsOf(rollout), loader);
        candidate = next;
        ProcessingTimeService time = getProcessingTimeService();
        time.registerTimer(
                time.getCurrentProcessingTime() + loadTimeout.toMillis(), t -> onLoadTimeout(next));
        next.whenDone(
                () -> {
                    try {
                        mailbox()
                                .execute(
                                        () -> onLoaded(next),
                                        "model roll-out %s loaded",
                                        rollout.getVersion());
                    } catch (RejectedExecutionException closedMailbox) {
                        next.discard(); // the task is gone
                    }
                });
    }

    /** A failed candidate is rejected at once; a loaded one waits for the next barrier. */
    private void onLoaded(CandidateModel loaded) {
        if (loaded != candidate) {
            return; // superseded, or already switched to at a barrier
        }
        Throwable failure = loaded.failure();
        if (failure != null) {
            reject(loaded, failure);
        }
    }

    /** Rejects a load still running at its timeout; the barrier that waits for it then passes. */
    private void onLoadTimeout(CandidateModel loading) {
        if (loading != candidate || loading.isDone()) {
            return; // superseded, switched to, or its outcome is on its way as a mail
        }
        reject(
                loading,
                new TimeoutException(
                        "loading took longer than job.rollout-load-timeout ("
                                + TimeUtils.formatWithHighestUnit(loadTimeout)
                                + ")"));
        abandon(loading);
    }

    /**
     * Gives {@code dropped} up: its model is closed once loaded, and if it is still loading, the
     * loader thread (perhaps stuck in I/O) is interrupted and replaced, so the next roll-out does
     * not queue behind it.
     */
    private void abandon(CandidateModel dropped) {
        dropped.discard();
        if (!dropped.isDone()) {
            loader.shutdownNow();
            loader = newLoader();
        }
    }

    private static ExecutorService newLoader() {
        return Executors.newSingleThreadExecutor(
                r -> {
                    Thread t = new Thread(r, "bert-model-rollout");
                    t.setDaemon(true);
                    return t;
                });
    }

    private void reject(CandidateModel failed, Throwable failure) {
        candidate = null;
        rejected.inc();
        LOG.warn(
                "Rejected model roll-out of version {} ({}): {}. Version {} keeps serving.",
                failed.rollout.getVersion(),
                failed.rollout.getBundleUri(),
                failure.toString(),
                defaultModel().manifest().version());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        while (candidate != null && !candidate.isDone()) {
            mailbox().yield(); // the load posts a mail when it is done
        }
        CandidateModel ready = candidate;
        if (ready == null) {
            return;
        }
        Throwable failure = ready.failure();
        if (failure != null) {
            reject(ready, failure);
            return;
        }
        switchTo(ready, checkpointId);
    }

    private void switchTo(CandidateModel ready, long checkpointId) throws Exception {
        drain();
        BundleManifest old = defaultModel().manifest();
        replaceDefaultModel(ready.take());
        candidate = null;
        active = ready.rollout;
        applied.inc();
        LOG.info(
                "Subtask {} switched the default model from version {} to version {} ({}) at"
                        + " checkpoint {}",
                subtask(),
                old.version(),
                active.getVersion(),
                active.getBundleUri(),
                checkpointId);
        if (subtask() == 0) {
            BundleTaskDifferences.of(LanguageRouter.DEFAULT, old, defaultModel().manifest())
                    .forEach(LOG::warn);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (active != null) {
            state.set(active);
        }
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            endInput();
        }
    }

    @Override
    public void close() throws Exception {
        CandidateModel loading = candidate;
        if (loading != null) {
            loading.discard();
        }
        if (loader != null) {
            loader.shutdownNow();
        }
        super.close();
    }

    /** The version the default model serves now. */
    @VisibleForTesting
    String activeVersion() {
        return defaultModel().manifest().version();
    }

    @VisibleForTesting
    long rolloutsApplied() {
        return applied.getCount();
    }

    @VisibleForTesting
    long rolloutsRejected() {
        return rejected.getCount();
    }

    private int subtask() {
        return getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    }
}
