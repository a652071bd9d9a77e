package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.events.TracedEvent;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperatorFactory;

/**
 * Creates {@link HotSwapInferenceOperator}s with the settings of a {@link
 * BatchInferenceOperatorFactory} ({@link BatchInferenceOperatorFactory#withModelRollouts()}).
 */
@Internal
public class HotSwapInferenceOperatorFactory extends AbstractStreamOperatorFactory<LabeledEvent>
        implements TwoInputStreamOperatorFactory<TracedEvent, ModelRollout, LabeledEvent> {

    private final BatchInferenceOperatorFactory settings;

    HotSwapInferenceOperatorFactory(BatchInferenceOperatorFactory settings) {
        this.settings = settings;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<LabeledEvent>> T createStreamOperator(
            StreamOperatorParameters<LabeledEvent> parameters) {
        return (T) settings.createHotSwapOperator(parameters);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return HotSwapInferenceOperator.class;
    }
}
