package dev.bertstream.jobs.testutils;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * A keyed two-input operator harness built from an operator factory, which Flink's {@code
 * KeyedTwoInputStreamOperatorTestHarness} does not take: operators that need the task's mailbox get
 * it from the factory's parameters. Only the first input is keyed, as with a broadcast second
 * input.
 */
public final class KeyedTwoInputFactoryHarness<K, IN1, IN2, OUT>
        extends AbstractStreamOperatorTestHarness<OUT> {

    public KeyedTwoInputFactoryHarness(
            StreamOperatorFactory<OUT> factory,
            KeySelector<IN1, K> keySelector,
            TypeInformation<K> keyType,
            int maxParallelism,
            int parallelism,
            int subtask)
            throws Exception {
        super(factory, maxParallelism, parallelism, subtask);
        config.setStatePartitioner(0, keySelector);
        config.setStateKeySerializer(
                keyType.createSerializer(executionConfig.getSerializerConfig()));
        config.serializeAllConfigs();
    }

    public void processElement1(StreamRecord<IN1> record) throws Exception {
        TwoInputStreamOperator<IN1, IN2, OUT> op = twoInput();
        op.setKeyContextElement1(record);
        op.processElement1(record);
    }

    public void processElement2(StreamRecord<IN2> record) throws Exception {
        TwoInputStreamOperator<IN1, IN2, OUT> op = twoInput();
        op.setKeyContextElement2(record);
        op.processElement2(record);
    }

    /** Ends the first input, as a bounded source does. */
    public void endInput1() throws Exception {
        ((BoundedMultiInput) operator).endInput(1);
    }

    @SuppressWarnings("unchecked")
    private TwoInputStreamOperator<IN1, IN2, OUT> twoInput() {
        return (TwoInputStreamOperator<IN1, IN2, OUT>) operator;
    }
}
