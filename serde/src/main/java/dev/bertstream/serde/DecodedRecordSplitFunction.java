package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TracedEvent;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Emits the events of a {@link DecodedRecord} stream, each with the record it came from, and sends
 * its dead letters to the side output {@link #DEAD_LETTERS}. The origin travels with the event so a
 * later stage can still dead-letter the original record.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<TracedEvent> events = decoded.process(new DecodedRecordSplitFunction());
 * DataStream<DeadLetter> deadLetters = events.getSideOutput(DecodedRecordSplitFunction.DEAD_LETTERS);
 * }</pre>
 */
@PublicEvolving
public class DecodedRecordSplitFunction extends ProcessFunction<DecodedRecord, TracedEvent> {

    private static final long serialVersionUID = 1L;

    /** Side output of the records that could not be decoded. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<TracedEvent> out) {
        if (record.getEvent() != null) {
            if (record.getOrigin() == null) {
                throw new IllegalArgumentException("DecodedRecord has an event but no origin");
            }
            out.collect(new TracedEvent(record.getEvent(), record.getOrigin()));
        } else if (record.getDeadLetter() != null) {
            ctx.output(DEAD_LETTERS, record.getDeadLetter());
        } else {
            // Only a coding error produces this; there is no source record left to dead-letter.
            throw new IllegalArgumentException(
                    "DecodedRecord has neither an event nor a dead letter");
        }
    }
}
