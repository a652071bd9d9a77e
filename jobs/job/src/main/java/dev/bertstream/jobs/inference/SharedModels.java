package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.inference.BatchResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded model per JVM and settings, shared by every slot of a TaskManager and
 * reference-counted: the first {@link #acquire} loads and warms it up, the last {@link Lease#close}
 * unloads it in the background once its running calls have returned. Each model has its own bounded
 * thread pool, so Flink task threads hand batches over and never block on TensorFlow.
 *
 * <p>A model that stalled is {@linkplain Lease#retire() retired}: it serves no new lease, so the
 * tasks that restart after the fail-over load a fresh instance instead of queueing behind the stuck
 * call.
 */
@Internal
public final class SharedModels {

    /**
     * A text every model classifies; when an event fails alone, the runner asks the model for this
     * one to tell a poison event from a broken model.
     */
    public static final String CANARY_TEXT = "hello";

    private static final ConcurrentHashMap<InferenceSettings, SharedModel> MODELS =
            new ConcurrentHashMap<>();

    private static volatile TestHook testHook;

    private SharedModels() {}

    /** Acquires the model for {@code settings}, loading and warming it up on first use. */
    public static Lease acquire(InferenceSettings settings) throws IOException {
        while (true) {
            SharedModel model = MODELS.computeIfAbsent(settings, SharedModel::new);
            if (model.retain()) {
                try {
                    model.awaitLoaded();
                } catch (IOException | RuntimeException e) {
                    model.release();
                    throw e;
                }
                return new Lease(model);
            }
            // Retired between lookup and retain: it leaves the map by itself, take a new one.
            MODELS.remove(settings, model);
        }
    }

    /**
     * Installs a hook that sees every model call, to inject faults into the real model in tests;
     * null removes it.
     */
    @VisibleForTesting
    public static void setTestHook(TestHook hook) {
        testHook = hook;
    }

    static TestHook testHook() {
        return testHook;
    }

    static void forget(SharedModel model) {
        MODELS.remove(model.settings(), model);
    }

    /** Fault injection around the real model, for tests. */
    @VisibleForTesting
    public interface TestHook {
        /**
         * On the submitting thread; may throw {@code RejectedExecutionException} as a full pool
         * does.
         */
        default void beforeSubmit(List<String> texts) {}

        /** On the inference thread, before the model runs; may throw or block. */
        default void beforePredict(List<String> texts) throws Exception {}

        /** On the loading thread, before the bundle at {@code bundle} is read; may block. */
        default void beforeLoad(String bundle) {}
    }

    /** A handle on a shared model; close it exactly once (in the operator's {@code close()}). */
    public static final class Lease implements AutoCloseable {
        private final SharedModel model;
        private boolean closed;

        private Lease(SharedModel model) {
            this.model = model;
        }

        /** Name, version and tasks of the model. */
        public BundleManifest manifest() {
            return model.manifest();
        }

        /**
         * Classifies {@code texts} on the model's own threads. Fails with {@code
         * RejectedExecutionException} when the model's queue is full; cancelling the future before
         * the call starts skips it.
         */
        public CompletableFuture<BatchResult> submit(List<String> texts) {
            return model.submit(texts);
        }

        /** Batches waiting for an inference thread of this model (all slots of the JVM). */
        public int queueDepth() {
            return model.queueDepth();
        }

        /** Milliseconds the model took to load and warm up. */
        public long loadMillis() {
            return model.loadMillis();
        }

        /** Stops handing this model out: the next lease loads a fresh instance. */
        public void retire() {
            model.retire();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                model.release();
            }
        }
    }
}
