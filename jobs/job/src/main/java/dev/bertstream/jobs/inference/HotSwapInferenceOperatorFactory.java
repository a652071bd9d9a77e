package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.events.TracedEvent;

import org.apache.flink.annotation.Internal;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperatorFactory;

import java.time.Duration;

/**
 * Creates {@link HotSwapInferenceOperator}s with the settings of a {@link
 * BatchInferenceOperatorFactory} ({@link
 * BatchInferenceOperatorFactory#withModelRollouts(Duration)}).
 */
@Internal
public class HotSwapInferenceOperatorFactory extends AbstractStreamOperatorFactory<LabeledEvent>
        implements TwoInputStreamOperatorFactory<TracedEvent, ModelRollout, LabeledEvent> {

    private final BatchInferenceOperatorFactory settings;
    private final Duration loadTimeout;

    HotSwapInferenceOperatorFactory(BatchInferenceOperatorFactory settings, Duration loadTimeout) {
        if (loadTimeout.isNegative() || loadTimeout.isZero()) {
            throw new IllegalArgumentException("the roll-out load timeout must be positive");
        }
        this.settings = settings;
        this.loadTimeout = loadTimeout;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<LabeledEvent>> T createStreamOperator(
            StreamOperatorParameters<LabeledEvent> parameters) {
        return (T) settings.createHotSwapOperator(parameters, loadTimeout);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return HotSwapInferenceOperator.class;
    }
}
