package dev.bertstream.jobs.sql;

import dev.bertstream.jobs.inference.BatchRunner;
import dev.bertstream.jobs.inference.EventOutcome;
import dev.bertstream.jobs.inference.FailureSettings;
import dev.bertstream.jobs.inference.InferenceFailedException;
import dev.bertstream.jobs.inference.InferenceSettings;
import dev.bertstream.jobs.inference.InferenceStalledException;
import dev.bertstream.jobs.inference.RunnerListener;
import dev.bertstream.jobs.inference.SharedModels;

import org.apache.flink.annotation.Internal;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ML_PREDICT} function of a bert-stream model: gathers the rows Flink's async operator
 * hands it into batches (up to {@code batch.max-size} rows or {@code batch.max-wait}), and
 * classifies each batch on the TaskManager's shared model through the DataStream job's {@link
 * BatchRunner}, whose predictor groups a batch's texts by length into session calls.
 *
 * <p>Failure semantics are the DataStream job's: a call the full model queue rejects is retried
 * after a backoff; a failing batch is split until the rows that fail on their own are found, and
 * the rest are labeled; a row that fails on its own while the model classifies a known-good text
 * fails the job with {@link InferenceFailedException} (SQL has no dead-letter output); a batch that
 * does not finish within {@code inference.timeout} fails its rows with {@link
 * InferenceStalledException} and retires the model, so the job fails over to its last checkpoint,
 * where the async operator's state holds every row in flight, and a fresh model labels them. No row
 * is dropped.
 *
 * <p>At most {@code inference.capacity} batches per instance are at the model; a batch whose max
 * wait passes while none is free keeps growing (up to {@code batch.max-size}) and goes with the
 * next free slot, so batches grow when the model is the bottleneck. Rows in flight are bounded by
 * the async operator's capacity ({@code table.exec.async-ml-predict.max-concurrent-operations}),
 * which is therefore also the largest batch this function can form.
 */
@Internal
public final class BatchingPredictFunction extends AsyncPredictFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BatchingPredictFunction.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String model;
    private final InferenceSettings inference;
    private final FailureSettings failures;
    private final int maxBatchSize;
    private final Duration maxWait;
    private final int capacity;
    private final List<OutputColumn> columns;

    private transient Object lock;
    private transient List<PendingRow> pending;
    private transient long generation;

    /** Full batches waiting for a free slot, oldest first. */
    private transient ArrayDeque<List<PendingRow>> ready;

    /** The pending batch's max wait passed while every slot was taken. */
    private transient boolean overdue;

    private transient int inFlight;
    private transient SharedModels.Lease lease;
    private transient ScheduledExecutorService scheduler;
    private transient BatchRunner runner;
    private transient Counter batches;
    private transient Counter rows;

    BatchingPredictFunction(
            String model,
            InferenceSettings inference,
            FailureSettings failures,
            int maxBatchSize,
            Duration maxWait,
            int capacity,
            List<OutputColumn> columns) {
        this.model = model;
        this.inference = inference;
        this.failures = failures;
        this.maxBatchSize = maxBatchSize;
        this.maxWait = maxWait;
        this.capacity = capacity;
        this.columns = List.copyOf(columns);
    }

    String model() {
        return model;
    }

    InferenceSettings inference() {
        return inference;
    }

    FailureSettings failures() {
        return failures;
    }

    int maxBatchSize() {
        return maxBatchSize;
    }

    Duration maxWait() {
        return maxWait;
    }

    int capacity() {
        return capacity;
    }

    List<OutputColumn> columns() {
        return columns;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        lock = new Object();
        pending = new ArrayList<>();
        ready = new ArrayDeque<>();
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "bert-sql-batching");
                            t.setDaemon(true);
                            return t;
                        });
        batches = context.getMetricGroup().counter("modelBatches");
        rows = context.getMetricGroup().counter("modelRows");
        lease = SharedModels.acquire(inference);
        runner =
                new BatchRunner(
                        lease,
                        scheduler,
                        failures.initialBackoff(),
                        MAX_BACKOFF,
                        new RunnerListener() {
                            @Override
                            public void rejected() {}

                            @Override
                            public void retried() {}

                            @Override
                            public void split() {}
                        });
        LOG.info(
                "ML_PREDICT on model {} ({} {}): batches of up to {} rows or {} ms",
                model,
                lease.manifest().name(),
                lease.manifest().version(),
                maxBatchSize,
                maxWait.toMillis());
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
        CompletableFuture<Collection<RowData>> result = new CompletableFuture<>();
        if (input.isNullAt(0)) {
            // No text, nothing to classify: the row keeps its place with NULL predictions.
            result.complete(List.of(new GenericRowData(columns.size())));
            return result;
        }
        List<List<PendingRow>> due;
        synchronized (lock) {
            pending.add(new PendingRow(input.getString(0).toString(), result));
            if (pending.size() >= maxBatchSize) {
                ready.add(takePending());
            } else if (pending.size() == 1) {
                long batch = generation;
                scheduleOrRun(() -> flush(batch), maxWait.toMillis());
            }
            due = dispatchable();
        }
        due.forEach(this::send);
        return result;
    }

    /**
     * The pending batch {@code batch} reached its max wait: it goes if a slot is free, else it goes
     * with the next free slot and grows until then, so batches grow when the model is the
     * bottleneck instead of queueing up small.
     */
    private void flush(long batch) {
        List<List<PendingRow>> due;
        synchronized (lock) {
            if (generation != batch || pending.isEmpty()) {
                return;
            }
            overdue = true;
            due = dispatchable();
        }
        due.forEach(this::send);
    }

    /** A batch finished: its slot takes the next ready or overdue batch. */
    private void finished() {
        List<List<PendingRow>> due;
        synchronized (lock) {
            inFlight--;
            due = dispatchable();
        }
        due.forEach(this::send);
    }

    /** Under the lock: the batches that take the free slots now, counted in flight. */
    private List<List<PendingRow>> dispatchable() {
        List<List<PendingRow>> out = new ArrayList<>(1);
        while (inFlight < capacity) {
            if (!ready.isEmpty()) {
                out.add(ready.poll());
            } else if (overdue && !pending.isEmpty()) {
                out.add(takePending());
            } else {
                break;
            }
            inFlight++;
        }
        return out;
    }

    private List<PendingRow> takePending() {
        List<PendingRow> batch = pending;
        pending = new ArrayList<>();
        generation++;
        overdue = false;
        return batch;
    }

    private void send(List<PendingRow> batch) {
        batches.inc();
        rows.inc(batch.size());
        List<String> texts = batch.stream().map(PendingRow::text).toList();
        BatchRunner.Run run = runner.start(texts);
        ScheduledFuture<?> stall =
                scheduleOrRun(
                        () -> {
                            if (!run.result().isDone()) {
                                InferenceStalledException e =
                                        new InferenceStalledException(
                                                String.format(
                                                        "A batch of %d rows of model %s did not"
                                                                + " finish within"
                                                                + " inference.timeout (%d ms):"
                                                                + " failing over to the last"
                                                                + " checkpoint with a fresh model",
                                                        batch.size(),
                                                        model,
                                                        failures.timeout().toMillis()));
                                batch.forEach(r -> r.result().completeExceptionally(e));
                                lease.retire();
                                run.cancel();
                            }
                        },
                        failures.timeout().toMillis());
        run.result()
                .whenComplete(
                        (outcomes, error) -> {
                            if (stall != null) {
                                stall.cancel(false);
                            }
                            try {
                                if (error != null) {
                                    batch.forEach(r -> r.result().completeExceptionally(error));
                                } else {
                                    for (int i = 0; i < batch.size(); i++) {
                                        complete(batch.get(i), outcomes.events().get(i));
                                    }
                                }
                            } finally {
                                finished();
                            }
                        });
    }

    private void complete(PendingRow row, EventOutcome outcome) {
        if (!outcome.isLabeled()) {
            row.result()
                    .completeExceptionally(
                            new InferenceFailedException(
                                    String.format(
                                            "A row of %d characters fails inference on its own"
                                                    + " with model %s while the model classifies"
                                                    + " other texts; SQL has no dead-letter output,"
                                                    + " so the job fails. Filter the row out"
                                                    + " before ML_PREDICT.",
                                            row.text().length(), model),
                                    outcome.failure()));
            return;
        }
        GenericRowData out = new GenericRowData(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            out.setField(c, columns.get(c).value(outcome.prediction()));
        }
        row.result().complete(List.of(out));
    }

    /**
     * Schedules {@code task}; after close (scheduler shut down) it returns null, running nothing.
     */
    private ScheduledFuture<?> scheduleOrRun(Runnable task, long delayMillis) {
        try {
            return scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (lease != null) {
            lease.close();
        }
        super.close();
    }

    private record PendingRow(String text, CompletableFuture<Collection<RowData>> result) {}
}
