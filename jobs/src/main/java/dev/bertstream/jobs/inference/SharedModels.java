package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.BatchResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model per JVM and settings, shared by every slot of a TaskManager and
 * reference-counted: the first {@link #acquire} loads it, the last {@link Lease#close} unloads it.
 * Each model has its own bounded thread pool, so Flink task threads hand batches over and never
 * block on TensorFlow.
 */
public final class SharedModels {

    private static final Map<InferenceSettings, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /** Acquires (loading on first use) the model for {@code settings}. */
    public static Lease acquire(InferenceSettings settings) throws IOException {
        synchronized (MODELS) {
            Entry e = MODELS.get(settings);
            if (e == null) {
                e = new Entry(settings);
                MODELS.put(settings, e);
            }
            e.refs++;
            return new Lease(e);
        }
    }

    /** Number of models loaded in this JVM (for tests and metrics). */
    public static int loadedModels() {
        synchronized (MODELS) {
            return MODELS.size();
        }
    }

    private static void release(Entry e) {
        synchronized (MODELS) {
            if (--e.refs == 0) {
                MODELS.remove(e.settings);
                e.close();
            }
        }
    }

    /** A handle on a shared model; close it exactly once (in the operator's {@code close()}). */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /** The shared predictor (thread-safe). */
        public BatchPredictor predictor() {
            return entry.predictor;
        }

        /**
         * Classifies {@code texts} on the model's own threads; fails fast when its queue is full.
         */
        public CompletableFuture<BatchResult> submit(List<String> texts) {
            CompletableFuture<BatchResult> f = new CompletableFuture<>();
            try {
                entry.pool.execute(
                        () -> {
                            entry.inFlight.incrementAndGet();
                            try {
                                f.complete(entry.predictor.predict(texts));
                            } catch (Throwable t) {
                                f.completeExceptionally(t);
                            } finally {
                                entry.inFlight.decrementAndGet();
                            }
                        });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                f.completeExceptionally(e);
            }
            return f;
        }

        /** Batches being computed right now. */
        public int inFlight() {
            return entry.inFlight.get();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(entry);
            }
        }
    }

    private static final class Entry {
        final InferenceSettings settings;
        final ModelBundle bundle;
        final BatchPredictor predictor;
        final ThreadPoolExecutor pool;
        final AtomicInteger inFlight = new AtomicInteger();
        int refs;

        Entry(InferenceSettings settings) throws IOException {
            this.settings = settings;
            Path local =
                    BundleLocator.localDirectory(
                            settings.bundle(),
                            Path.of(System.getProperty("java.io.tmpdir"), "bert-stream-bundles"));
            this.bundle = ModelBundle.load(local, settings.session());
            this.predictor =
                    BatchPredictor.builder(bundle)
                            .maxBatchSize(Integer.MAX_VALUE / 2)
                            .maxBatchTokens(settings.maxBatchTokens())
                            .build();
            AtomicInteger n = new AtomicInteger();
            this.pool =
                    new ThreadPoolExecutor(
                            settings.inferenceThreads(),
                            settings.inferenceThreads(),
                            0,
                            TimeUnit.MILLISECONDS,
                            new ArrayBlockingQueue<>(settings.queueCapacity()),
                            r -> {
                                Thread t = new Thread(r, "bert-inference-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
        }

        void close() {
            pool.shutdown();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            predictor.close();
            bundle.close();
        }
    }
}
