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

/**
 * Creates {@link BatchInferenceOperator}s; a factory because the operator needs the task's mailbox.
 */
@Internal
public class BatchInferenceOperatorFactory extends AbstractStreamOperatorFactory<LabeledEvent>
        implements OneInputStreamOperatorFactory<TracedEvent, LabeledEvent> {

    private final BatchingSettings batching;
    private final InferenceSettings inference;
    private final FailureSettings failures;
    private final int capacity;
    private final DeadLetterLimits deadLetterLimits;

    /**
     * @param capacity batches in flight per parallel instance
     */
    public BatchInferenceOperatorFactory(
            BatchingSettings batching,
            InferenceSettings inference,
            FailureSettings failures,
            int capacity,
            DeadLetterLimits deadLetterLimits) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.batching = batching;
        this.inference = inference;
        this.failures = failures;
        this.capacity = capacity;
        this.deadLetterLimits = deadLetterLimits;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<LabeledEvent>> T createStreamOperator(
            StreamOperatorParameters<LabeledEvent> parameters) {
        return (T)
                new BatchInferenceOperator(
                        parameters, batching, inference, failures, capacity, deadLetterLimits);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return BatchInferenceOperator.class;
    }
}
