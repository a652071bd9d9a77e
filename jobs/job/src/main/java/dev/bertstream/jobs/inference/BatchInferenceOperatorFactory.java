package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.serde.DeadLetterLimits;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates {@link BatchInferenceOperator}s; a factory because the operator needs the task's mailbox.
 */
@Internal
public class BatchInferenceOperatorFactory extends AbstractStreamOperatorFactory<LabeledEvent>
        implements OneInputStreamOperatorFactory<TracedEvent, LabeledEvent> {

    private final BatchingSettings batching;
    private final InferenceSettings inference;
    private final Map<String, InferenceSettings> languageModels;
    private final FailureSettings failures;
    private final int capacity;
    private final DeadLetterLimits deadLetterLimits;

    /**
     * An operator that serves one model.
     *
     * @param capacity batches in flight per parallel instance
     */
    public BatchInferenceOperatorFactory(
            BatchingSettings batching,
            InferenceSettings inference,
            FailureSettings failures,
            int capacity,
            DeadLetterLimits deadLetterLimits) {
        this(batching, inference, Map.of(), failures, capacity, deadLetterLimits);
    }

    /**
     * An operator that serves {@code inference} and a model per language, each event labeled by the
     * model {@link LanguageRouter} picks for it.
     *
     * @param inference the default model, for events of no language in {@code languageModels}
     * @param languageModels model per language tag ({@link LanguageRouter#LANGUAGE_TAG})
     * @param capacity batches in flight per parallel instance, of all models together
     */
    public BatchInferenceOperatorFactory(
            BatchingSettings batching,
            InferenceSettings inference,
            Map<String, InferenceSettings> languageModels,
            FailureSettings failures,
            int capacity,
            DeadLetterLimits deadLetterLimits) {
        new LanguageRouter(languageModels.keySet()); // refuses a bad tag here, on the client
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.batching = batching;
        this.inference = inference;
        this.languageModels = new LinkedHashMap<>();
        languageModels.forEach((k, v) -> this.languageModels.put(LanguageRouter.normalize(k), v));
        this.failures = failures;
        this.capacity = capacity;
        this.deadLetterLimits = deadLetterLimits;
    }

    /**
     * The same operator with a second, broadcast input of model roll-outs ({@link
     * HotSwapInferenceOperator}), for {@code keyed.connect(rollouts.broadcast()).transform(..)}.
     */
    public HotSwapInferenceOperatorFactory withModelRollouts(Duration loadTimeout) {
        return new HotSwapInferenceOperatorFactory(this, loadTimeout);
    }

    HotSwapInferenceOperator createHotSwapOperator(
            StreamOperatorParameters<LabeledEvent> p, Duration loadTimeout) {
        return new HotSwapInferenceOperator(
                p,
                batching,
                inference,
                languageModels,
                failures,
                capacity,
                deadLetterLimits,
                loadTimeout);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<LabeledEvent>> T createStreamOperator(
            StreamOperatorParameters<LabeledEvent> parameters) {
        return (T)
                new BatchInferenceOperator(
                        parameters,
                        batching,
                        inference,
                        languageModels,
                        failures,
                        capacity,
                        deadLetterLimits);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return BatchInferenceOperator.class;
    }
}
