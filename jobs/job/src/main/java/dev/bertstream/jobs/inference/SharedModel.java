package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.inference.BatchResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One loaded model of {@link SharedModels}: bundle, predictor, thread pool and reference count. */
final class SharedModel {

    private static final Logger LOG = LoggerFactory.getLogger(SharedModel.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final InferenceSettings settings;
    private final Object loadLock = new Object();
    private int refs;
    private boolean retired;
    private volatile Loaded loaded;

    SharedModel(InferenceSettings settings) {
        this.settings = settings;
    }

    InferenceSettings settings() {
        return settings;
    }

    synchronized boolean retain() {
        if (retired) {
            return false;
        }
        refs++;
        return true;
    }

    void release() {
        boolean close;
        synchronized (this) {
            close = --refs == 0;
            retired |= close;
        }
        if (close) {
            SharedModels.forget(this);
            closeInBackground();
        }
    }

    void retire() {
        boolean first;
        synchronized (this) {
            first = !retired;
            retired = true;
        }
        if (first) {
            SharedModels.forget(this);
            LOG.warn(
                    "Retired model {} after a stall: it serves no new lease, the restarted tasks"
                            + " load a fresh instance",
                    settings.bundle());
        }
    }

    /** Loads on first call; concurrent callers wait for that one load, other models do not. */
    void awaitLoaded() throws IOException {
        synchronized (loadLock) {
            if (loaded == null) {
                try {
                    loaded = load();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot load model {}: {}", settings.bundle(), e.getMessage());
                    throw e;
                }
            }
        }
    }

    BundleManifest manifest() {
        return loaded.predictor.manifest();
    }

    long loadMillis() {
        return loaded.loadMillis;
    }

    int queueDepth() {
        return loaded.pool.getQueue().size();
    }

    CompletableFuture<BatchResult> submit(List<String> texts) {
        Loaded model = loaded;
        SharedModels.TestHook hook = SharedModels.testHook();
        CompletableFuture<BatchResult> result = new CompletableFuture<>();
        try {
            if (hook != null) {
                hook.beforeSubmit(texts);
            }
            model.pool.execute(
                    () -> {
                        if (result.isDone()) {
                            return; // cancelled while queued: its batch was abandoned
                        }
                        try {
                            if (hook != null) {
                                hook.beforePredict(texts);
                            }
                            result.complete(model.predictor.predict(texts));
                        } catch (Throwable t) {
                            result.completeExceptionally(t);
                        }
                    });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private Loaded load() throws IOException {
        long start = System.nanoTime();
        SharedModels.TestHook hook = SharedModels.testHook();
        if (hook != null) {
            hook.beforeLoad(settings.bundle());
        }
        ModelBundle bundle = loadVerified();
        BatchPredictor predictor;
        try {
            predictor =
                    BatchPredictor.builder(bundle)
                            .maxBatchSize(Integer.MAX_VALUE / 2)
                            .maxBatchTokens(maxBatchTokens(bundle.manifest()))
                            .build();
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
        long loadedAt = System.nanoTime();
        warmUp(predictor);
        long end = System.nanoTime();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(
                        settings.inferenceThreads(),
                        settings.inferenceThreads(),
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(settings.queueCapacity()),
                        r -> {
                            Thread t = new Thread(r, "bert-inference-" + THREADS.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        BundleManifest m = predictor.manifest();
        LOG.info(
                "Model {} version {} ready for inference: bundle {} (bundle.json sha256 {}),"
                        + " loaded in {} s, warmed up in {} s ({} intra-op threads, {} inference"
                        + " threads, max {} tokens per text)",
                m.name(),
                m.version(),
                settings.bundle(),
                bundle.manifestDigest(),
                seconds(loadedAt - start),
                seconds(end - loadedAt),
                settings.session().intraOpThreads(),
                settings.inferenceThreads(),
                m.maxSeqLength());
        return new Loaded(bundle, predictor, pool, TimeUnit.NANOSECONDS.toMillis(end - start));
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    /** The configured token budget, at least one text of the bundle's longest length. */
    private int maxBatchTokens(BundleManifest manifest) {
        return Math.max(settings.maxBatchTokens(), manifest.maxSeqLength());
    }

    /**
     * Verifies and loads the bundle; a cached remote copy that fails verification (the remote
     * bundle changed, or the copy did) is dropped and copied once more before the load fails.
     */
    private ModelBundle loadVerified() throws IOException {
        Path cache = BundleLocator.defaultCacheRoot();
        Path local = BundleLocator.localDirectory(settings.bundle(), cache);
        try {
            return ModelBundle.load(local, settings.session(), settings.trust());
        } catch (InvalidBundleException e) {
            if (!BundleLocator.isRemote(settings.bundle())) {
                throw e;
            }
            LOG.warn(
                    "Cached copy of {} refused, copying it again: {}",
                    settings.bundle(),
                    e.getMessage());
            BundleLocator.evict(settings.bundle(), cache);
            local = BundleLocator.localDirectory(settings.bundle(), cache);
            return ModelBundle.load(local, settings.session(), settings.trust());
        }
    }

    /**
     * The first session call of a shape builds TensorFlow's kernels for it and is many times slower
     * than the next; run the common shapes (one short text, a full batch of short texts, a batch of
     * the longest texts) before the first real batch is timed.
     */
    private void warmUp(BatchPredictor predictor) {
        int maxTokens = predictor.manifest().maxSeqLength();
        String longText = String.join(" ", Collections.nCopies(maxTokens, "word"));
        int longRows =
                Math.max(
                        1,
                        Math.min(
                                settings.warmUpBatchSize(),
                                maxBatchTokens(predictor.manifest()) / maxTokens));
        predictor.predict(List.of("hello"));
        predictor.predict(
                new ArrayList<>(Collections.nCopies(settings.warmUpBatchSize(), "hello there")));
        predictor.predict(new ArrayList<>(Collections.nCopies(longRows, longText)));
    }

    private void closeInBackground() {
        Loaded model = loaded;
        if (model == null) {
            return;
        }
        Thread closer =
                new Thread(
                        () -> {
                            model.pool.shutdown();
                            try {
                                // A running TensorFlow call cannot be interrupted; wait for it.
                                while (!model.pool.awaitTermination(1, TimeUnit.MINUTES)) {
                                    LOG.warn(
                                            "Model {} still has a call running; closing it when"
                                                    + " the call returns",
                                            settings.bundle());
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            model.predictor.close();
                            model.bundle.close();
                            LOG.info(
                                    "Closed model {}: its last lease was released",
                                    settings.bundle());
                        },
                        "bert-model-closer");
        closer.setDaemon(true);
        closer.start();
    }

    private record Loaded(
            ModelBundle bundle,
            BatchPredictor predictor,
            ThreadPoolExecutor pool,
            long loadMillis) {}
}
