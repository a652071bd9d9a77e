package dev.bertstream.jobs.inference;

import dev.bertstream.jobs.batching.FlushReason;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Metrics of a {@link BatchInferenceOperator} subtask and its model; the runner's counters are
 * bumped from the model's threads, the rest on the task thread.
 */
final class BatchInferenceMetrics implements RunnerListener {
    final Histogram batchSize;
    final Histogram queueWait;
    final Histogram inferenceMillis;
    final Map<FlushReason, Counter> flushes = new EnumMap<>(FlushReason.class);
    final Counter labeled;
    final Counter deadLettered;
    final Counter timeouts;
    final Counter rejections;
    final Counter retries;
    final Counter splits;
    final Counter restored;
    final Counter realTokens;
    final Counter computedTokens;
    final Histogram arrivalGap;
    volatile double paddingEfficiency;
    private final MetricGroup group;
    private final Set<String> versionsRegistered = new HashSet<>();
    private volatile SharedModels.Lease defaultModel;

    BatchInferenceMetrics(
            MetricGroup group,
            IntSupplier buffered,
            IntSupplier batchesInFlight,
            SharedModels.Lease model) {
        this.group = group;
        batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        queueWait = group.histogram("queueWaitMs", new DescriptiveStatisticsHistogram(1000));
        inferenceMillis =
                group.histogram("inferenceLatencyMs", new DescriptiveStatisticsHistogram(1000));
        for (FlushReason r : FlushReason.values()) {
            flushes.put(r, group.counter("flushes" + r.name()));
        }
        // Gaps between consecutive arrivals: bursts upstream show as many ~0 gaps and a few long
        // ones where steady traffic at R events/s gives gaps near 1000/R ms.
        arrivalGap = group.histogram("arrivalGapMs", new DescriptiveStatisticsHistogram(1000));
        // Padding over a whole run (the gauge is the last batch's): real / computed tokens.
        realTokens = group.counter("tokensReal");
        computedTokens = group.counter("tokensComputed");
        labeled = group.counter("eventsLabeled");
        deadLettered = group.counter("eventsDeadLettered");
        timeouts = group.counter("inferenceTimeouts");
        rejections = group.counter("inferenceRejections", new ThreadSafeSimpleCounter());
        retries = group.counter("inferenceRetries", new ThreadSafeSimpleCounter());
        splits = group.counter("inferenceSplits", new ThreadSafeSimpleCounter());
        restored = group.counter("eventsRestored");
        group.gauge("bufferedEvents", buffered::getAsInt);
        group.gauge("batchesInFlight", batchesInFlight::getAsInt);
        group.gauge("paddingEfficiency", () -> paddingEfficiency);
        this.defaultModel = model;
        group.gauge("modelQueueDepth", () -> defaultModel.queueDepth());
        group.gauge("modelLoadTimeMs", () -> defaultModel.loadMillis());
        registerVersion(model.manifest().version());
    }

    /** The default model's gauges follow {@code model} from now on. */
    void defaultModelReplaced(SharedModels.Lease model) {
        defaultModel = model;
        registerVersion(model.manifest().version());
    }

    /**
     * The version as a label, so a roll-out shows in any reporter (values must be numbers): 1 while
     * it is the default model's, 0 after. Registered once per version: a roll-back finds its gauge.
     */
    private void registerVersion(String version) {
        if (versionsRegistered.add(version)) {
            group.addGroup("model_version", version)
                    .gauge(
                            "modelActive",
                            () -> defaultModel.manifest().version().equals(version) ? 1 : 0);
        }
    }

    /**
     * Registers the metrics of a language model under a {@code language} group (a label in
     * reporters such as Prometheus) beside the default model's: its queue depth, load time and
     * version, and the events it labeled, which it returns. The operator-wide metrics above count
     * the events of every model.
     */
    Counter addLanguageModel(String language, SharedModels.Lease model) {
        MetricGroup group = this.group.addGroup("language", language);
        group.gauge("modelQueueDepth", () -> model.queueDepth());
        group.gauge("modelLoadTimeMs", () -> model.loadMillis());
        group.addGroup("model_version", model.manifest().version()).gauge("modelActive", () -> 1);
        return group.counter("eventsLabeled");
    }

    @Override
    public void rejected() {
        rejections.inc();
    }

    @Override
    public void retried() {
        retries.inc();
    }

    @Override
    public void split() {
        splits.inc();
    }
}
