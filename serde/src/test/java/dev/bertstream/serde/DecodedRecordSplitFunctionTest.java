package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodedRecordSplitFunctionTest {

    private final DecodedRecordSplitFunction fn = new DecodedRecordSplitFunction();
    private final List<TextEvent> events = new ArrayList<>();
    private final List<Object> sideOutput = new ArrayList<>();
    private final DecodedRecordSplitFunction.Context ctx =
            fn.new Context() {
                @Override
                public Long timestamp() {
                    return null;
                }

                @Override
                public TimerService timerService() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public <X> void output(OutputTag<X> tag, X value) {
                    assertThat(tag).isEqualTo(DecodedRecordSplitFunction.DEAD_LETTERS);
                    sideOutput.add(value);
                }
            };

    @Test
    void sendsEventsDownstreamAndDeadLettersToTheSideOutput() {
        TextEvent event = TestEvents.textEvent();
        DeadLetter dl = TestEvents.deadLetter();

        fn.processElement(new DecodedRecord(event, null), ctx, new ListCollector<>(events));
        fn.processElement(new DecodedRecord(null, dl), ctx, new ListCollector<>(events));

        assertThat(events).containsExactly(event);
        assertThat(sideOutput).containsExactly(dl);
    }

    @Test
    void refusesAnEmptyRecord() {
        assertThatThrownBy(
                        () ->
                                fn.processElement(
                                        new DecodedRecord(null, null),
                                        ctx,
                                        new ListCollector<>(events)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
