package dev.bertstream.jobs.inference;

import dev.bertstream.models.inference.BatchResult;
import dev.bertstream.models.inference.BatchStats;

import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs batches on a shared model until every event has an {@link EventOutcome}, never giving up on
 * a healthy event:
 *
 * <ul>
 *   <li>a call the model's full queue rejects is retried after an exponential backoff, for as long
 *       as the caller lets it (the operator's {@code inference.timeout} bounds it);
 *   <li>a batch whose call fails is split in halves, recursively, so the events that fail on their
 *       own are isolated and every other event is labeled (about 2·log2(n) extra calls of halving
 *       size per poison event);
 *   <li>an event that fails alone is blamed only if the model then classifies a known-good text; if
 *       that fails too, the model is broken, not the event, and the event is retried after a
 *       backoff instead.
 * </ul>
 *
 * <p>A retry starts only after the previous call returned, so the same events never run twice in
 * parallel. {@link Run#cancel()} abandons a run: queued calls are skipped, backoffs cancelled, and
 * a call already running cannot be interrupted (TensorFlow calls are not) but its result is
 * dropped.
 *
 * <p>Shared by the DataStream operator and the SQL model provider ({@code
 * dev.bertstream.jobs.sql}).
 */
@Internal
public final class BatchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    /** A full model queue rejects calls in bursts: one WARN per interval, with the count. */
    private static final long REJECTION_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final SharedModels.Lease model;
    private final ScheduledExecutorService scheduler;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final RunnerListener listener;
    private final AtomicLong rejectionsSinceLog = new AtomicLong();
    private final AtomicLong lastRejectionLog = new AtomicLong(System.nanoTime() - (1L << 40));

    public BatchRunner(
            SharedModels.Lease model,
            ScheduledExecutorService scheduler,
            Duration initialBackoff,
            Duration maxBackoff,
            RunnerListener listener) {
        this.model = model;
        this.scheduler = scheduler;
        this.initialBackoffMillis = Math.max(1, initialBackoff.toMillis());
        this.maxBackoffMillis = Math.max(initialBackoffMillis, maxBackoff.toMillis());
        this.listener = listener;
    }

    /** Starts classifying {@code texts}; the run's result lists one outcome per text, in order. */
    public Run start(List<String> texts) {
        return new Run(texts);
    }

    /** Outcomes of one batch, and the statistics of its first successful model call. */
    public record Outcomes(List<EventOutcome> events, BatchStats stats) {}

    /** One batch being classified. */
    public final class Run {
        private final List<String> texts;
        private final EventOutcome[] outcomes;
        private final Set<Future<?>> pending = ConcurrentHashMap.newKeySet();
        private final CompletableFuture<Outcomes> result = new CompletableFuture<>();
        private volatile boolean cancelled;
        private volatile BatchStats stats;

        private Run(List<String> texts) {
            this.texts = List.copyOf(texts);
            this.outcomes = new EventOutcome[texts.size()];
            int[] all = new int[texts.size()];
            Arrays.setAll(all, i -> i);
            classify(all)
                    .whenComplete(
                            (ok, error) -> {
                                if (error != null) {
                                    result.completeExceptionally(unwrap(error));
                                } else {
                                    result.complete(new Outcomes(List.of(outcomes), stats));
                                }
                            });
        }

        /** Completes when every event has an outcome; fails only when cancelled. */
        public CompletableFuture<Outcomes> result() {
            return result;
        }

        /**
         * Abandons the run: nothing more is submitted and its result is never completed normally.
         */
        public void cancel() {
            cancelled = true;
            pending.forEach(f -> f.cancel(false));
            result.completeExceptionally(new CancellationException("inference run abandoned"));
        }

        private CompletableFuture<Void> classify(int[] idx) {
            return call(textsOf(idx), 0)
                    .handle(
                            (r, error) -> {
                                if (error == null) {
                                    for (int i = 0; i < idx.length; i++) {
                                        outcomes[idx[i]] =
                                                EventOutcome.labeled(r.predictions().get(i));
                                    }
                                    if (stats == null) {
                                        stats = r.stats();
                                    }
                                    return CompletableFuture.<Void>completedFuture(null);
                                }
                                Throwable cause = unwrap(error);
                                if (cancelled || cause instanceof CancellationException) {
                                    return CompletableFuture.<Void>failedFuture(cause);
                                }
                                if (idx.length > 1) {
                                    // The failure's type only: a model error may quote its input.
                                    LOG.warn(
                                            "A model call of {} events failed ({}); splitting it in"
                                                    + " halves to find the events that fail on"
                                                    + " their own",
                                            idx.length,
                                            cause.getClass().getName());
                                    listener.split();
                                    int half = idx.length / 2;
                                    return CompletableFuture.allOf(
                                            classify(Arrays.copyOfRange(idx, 0, half)),
                                            classify(Arrays.copyOfRange(idx, half, idx.length)));
                                }
                                return blameAlone(idx, cause, 0);
                            })
                    .thenCompose(f -> f);
        }

        /** The single event {@code idx} failed with {@code cause}; is it the event or the model? */
        private CompletableFuture<Void> blameAlone(int[] idx, Throwable cause, int attempt) {
            return call(List.of(SharedModels.CANARY_TEXT), 0)
                    .handle(
                            (r, canaryError) -> {
                                if (canaryError == null) {
                                    LOG.warn(
                                            "An event fails inference alone ({}) while the model"
                                                    + " classifies the canary text: the event is"
                                                    + " to blame",
                                            cause.getClass().getName());
                                    outcomes[idx[0]] = EventOutcome.failed(cause);
                                    return CompletableFuture.<Void>completedFuture(null);
                                }
                                if (cancelled) {
                                    return CompletableFuture.<Void>failedFuture(
                                            unwrap(canaryError));
                                }
                                LOG.warn(
                                        "An event and the canary text both fail inference ({}):"
                                                + " the model is failing, not the event; retrying"
                                                + " the event in {} ms (retry {})",
                                        unwrap(canaryError).getClass().getName(),
                                        backoffMillis(attempt),
                                        attempt + 1);
                                listener.retried();
                                return delay(attempt)
                                        .thenCompose(x -> call(textsOf(idx), 0))
                                        .handle(
                                                (again, error) -> {
                                                    if (error == null) {
                                                        outcomes[idx[0]] =
                                                                EventOutcome.labeled(
                                                                        again.predictions().get(0));
                                                        return CompletableFuture
                                                                .<Void>completedFuture(null);
                                                    }
                                                    return blameAlone(
                                                            idx, unwrap(error), attempt + 1);
                                                })
                                        .thenCompose(f -> f);
                            })
                    .thenCompose(f -> f);
        }

        /** One model call; rejections are retried after a backoff until the run is cancelled. */
        private CompletableFuture<BatchResult> call(List<String> batch, int attempt) {
            if (cancelled) {
                return CompletableFuture.failedFuture(new CancellationException());
            }
            CompletableFuture<BatchResult> call = model.submit(batch);
            track(call);
            return call.handle(
                            (r, error) -> {
                                if (error == null) {
                                    return CompletableFuture.completedFuture(r);
                                }
                                Throwable cause = unwrap(error);
                                if (cause instanceof RejectedExecutionException && !cancelled) {
                                    logRejection(batch.size(), attempt);
                                    listener.rejected();
                                    return delay(attempt)
                                            .thenCompose(x -> call(batch, attempt + 1));
                                }
                                return CompletableFuture.<BatchResult>failedFuture(cause);
                            })
                    .thenCompose(f -> f);
        }

        private CompletableFuture<Void> delay(int attempt) {
            long millis = backoffMillis(attempt);
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (cancelled) {
                done.completeExceptionally(new CancellationException());
                return done;
            }
            try {
                track(scheduler.schedule(() -> done.complete(null), millis, TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(new CancellationException("scheduler shut down"));
            }
            return done;
        }

        private void track(Future<?> f) {
            pending.add(f);
            if (f instanceof CompletableFuture<?> c) {
                c.whenComplete((x, y) -> pending.remove(f));
            }
            if (cancelled) {
                f.cancel(false);
            }
        }

        private List<String> textsOf(int[] idx) {
            List<String> out = new ArrayList<>(idx.length);
            for (int i : idx) {
                out.add(texts.get(i));
            }
            return out;
        }
    }

    /** The delay before retry {@code attempt + 1}: doubling from the first, up to the most. */
    private long backoffMillis(int attempt) {
        return Math.min(initialBackoffMillis << Math.min(attempt, 20), maxBackoffMillis);
    }

    private void logRejection(int events, int attempt) {
        long count = rejectionsSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRejectionLog.get();
        if (now - last >= REJECTION_LOG_INTERVAL_NANOS
                && lastRejectionLog.compareAndSet(last, now)) {
            rejectionsSinceLog.addAndGet(-count);
            LOG.warn(
                    "The model's queue is full: {} calls rejected since the last report, the latest"
                            + " of {} events, retried in {} ms (inference.capacity x parallelism"
                            + " batches share inference.threads threads)",
                    count,
                    events,
                    backoffMillis(attempt));
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
