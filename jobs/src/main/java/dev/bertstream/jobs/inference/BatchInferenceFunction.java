package dev.bertstream.jobs.inference;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.batching.MicroBatch;
import dev.bertstream.models.inference.BatchResult;
import dev.bertstream.serde.codec.AvroRecordWriter;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Classifies a micro-batch on the TaskManager's shared model and emits one labeled event per input
 * event. Failed batches are retried with exponential backoff on the model's own threads; when
 * retries run out (or the async timeout fires) the events become dead letters or fail the job, per
 * {@link InferenceFailurePolicy}.
 */
public class BatchInferenceFunction
        extends RichAsyncFunction<MicroBatch, Either<LabeledEvent, DeadLetter>> {

    /** Output type: labeled events left, dead letters right. */
    public static final TypeInformation<Either<LabeledEvent, DeadLetter>> OUTPUT_TYPE =
            new EitherTypeInfo<>(
                    new AvroTypeInfo<>(LabeledEvent.class), new AvroTypeInfo<>(DeadLetter.class));

    static final String STAGE = "inference";

    private final InferenceSettings settings;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final InferenceFailurePolicy failurePolicy;
    private final String inputTopic;

    private transient SharedModels.Lease model;
    private transient AvroRecordWriter<TextEvent> eventWriter;
    private transient Counter labeled;
    private transient Counter deadLettered;
    private transient Histogram inferenceMillis;
    private transient volatile double paddingEfficiency;

    public BatchInferenceFunction(
            InferenceSettings settings,
            int maxRetries,
            Duration initialBackoff,
            InferenceFailurePolicy failurePolicy,
            String inputTopic) {
        this.settings = settings;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.failurePolicy = failurePolicy;
        this.inputTopic = inputTopic;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        model = SharedModels.acquire(settings);
        // Single-object encoding is self-describing, so a replay tool can decode the dead letter
        // without config.
        eventWriter =
                AvroRecordWriter.of(
                        TextEvent.class, dev.bertstream.serde.WireFormat.SINGLE_OBJECT, 0);
        var metrics = getRuntimeContext().getMetricGroup();
        labeled = metrics.counter("eventsLabeled");
        deadLettered = metrics.counter("eventsDeadLettered");
        inferenceMillis =
                metrics.histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("paddingEfficiency", () -> paddingEfficiency);
        metrics.gauge("batchesInFlight", () -> model.inFlight());
    }

    @Override
    public void close() throws Exception {
        if (model != null) {
            model.close();
        }
    }

    @Override
    public void asyncInvoke(MicroBatch batch, ResultFuture<Either<LabeledEvent, DeadLetter>> out) {
        List<String> texts = new ArrayList<>(batch.size());
        batch.events().forEach(e -> texts.add(e.getText()));
        long start = System.nanoTime();
        attempt(texts, 0)
                .whenComplete(
                        (result, error) -> {
                            if (error != null) {
                                fail(batch, error, out);
                                return;
                            }
                            inferenceMillis.update(
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                            paddingEfficiency = result.stats().paddingEfficiency();
                            long now = System.currentTimeMillis();
                            List<Either<LabeledEvent, DeadLetter>> labeledEvents =
                                    new ArrayList<>(batch.size());
                            for (int i = 0; i < batch.size(); i++) {
                                labeledEvents.add(
                                        Either.Left(
                                                LabeledEvents.of(
                                                        batch.events().get(i),
                                                        result.predictions().get(i),
                                                        model.predictor().manifest(),
                                                        batch.arrivals()[i],
                                                        now)));
                            }
                            labeled.inc(batch.size());
                            out.complete(labeledEvents);
                        });
    }

    private CompletableFuture<BatchResult> attempt(List<String> texts, int retry) {
        return model.submit(texts)
                .handle(
                        (r, e) -> {
                            if (e == null) {
                                return CompletableFuture.completedFuture(r);
                            }
                            if (retry >= maxRetries) {
                                return CompletableFuture.<BatchResult>failedFuture(e);
                            }
                            long delay = initialBackoff.toMillis() << Math.min(retry, 16);
                            return CompletableFuture.supplyAsync(
                                            () -> null,
                                            CompletableFuture.delayedExecutor(
                                                    delay, TimeUnit.MILLISECONDS))
                                    .thenCompose(x -> attempt(texts, retry + 1));
                        })
                .thenCompose(f -> f);
    }

    @Override
    public void timeout(MicroBatch batch, ResultFuture<Either<LabeledEvent, DeadLetter>> out) {
        fail(
                batch,
                new java.util.concurrent.TimeoutException(
                        "inference did not finish within the async timeout"),
                out);
    }

    private void fail(
            MicroBatch batch, Throwable error, ResultFuture<Either<LabeledEvent, DeadLetter>> out) {
        Throwable cause =
                error instanceof java.util.concurrent.CompletionException
                                && error.getCause() != null
                        ? error.getCause()
                        : error;
        if (failurePolicy == InferenceFailurePolicy.FAIL) {
            out.completeExceptionally(
                    new RuntimeException(
                            "Inference failed after " + maxRetries + " retries", cause));
            return;
        }
        List<Either<LabeledEvent, DeadLetter>> letters = new ArrayList<>(batch.size());
        for (TextEvent e : batch.events()) {
            letters.add(Either.Right(deadLetter(e, cause)));
        }
        deadLettered.inc(batch.size());
        out.complete(letters);
    }

    private DeadLetter deadLetter(TextEvent e, Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        byte[] value = eventWriter.write(e);
        return DeadLetter.newBuilder()
                .setSourceTopic(inputTopic)
                .setKey(ByteBuffer.wrap(e.getKey().getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(value))
                .setValueSize(value.length)
                .setHeaders(Collections.emptyList())
                .setStage(STAGE)
                .setReason("INFERENCE_FAILED")
                .setErrorClass(cause.getClass().getName())
                .setErrorMessage(message.length() > 2000 ? message.substring(0, 2000) : message)
                .setFailedAt(Instant.now())
                .build();
    }
}
