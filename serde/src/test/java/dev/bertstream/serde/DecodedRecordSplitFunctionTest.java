package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.RecordOrigin;
import dev.bertstream.events.TextEvent;
import dev.bertstream.events.TracedEvent;
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
    private final List<TracedEvent> events = new ArrayList<>();
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

        RecordOrigin origin = TestEvents.origin();
        fn.processElement(new DecodedRecord(event, null, origin), ctx, new ListCollector<>(events));
        fn.processElement(new DecodedRecord(null, dl, null), ctx, new ListCollector<>(events));

        assertThat(events).containsExactly(new TracedEvent(event, origin));
        assertThat(sideOutput).containsExactly(dl);
    }

    @Test
    void refusesAnEventWithoutItsOrigin() {
        assertThatThrownBy(
                        () ->
                                fn.processElement(
                                        new DecodedRecord(TestEvents.textEvent(), null, null),
                                        ctx,
                                        new ListCollector<>(events)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("origin");
    }

    @Test
    void refusesAnEmptyRecord() {
        assertThatThrownBy(
                        () ->
                                fn.processElement(
                                        new DecodedRecord(null, null, null),
                                        ctx,
                                        new ListCollector<>(events)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
