package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Emits the events of a {@link DecodedRecord} stream and sends its dead letters to the side output
 * {@link #DEAD_LETTERS}.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<TextEvent> events = decoded.process(new DecodedRecordSplitFunction());
 * DataStream<DeadLetter> deadLetters = events.getSideOutput(DecodedRecordSplitFunction.DEAD_LETTERS);
 * }</pre>
 */
@PublicEvolving
public class DecodedRecordSplitFunction extends ProcessFunction<DecodedRecord, TextEvent> {

    private static final long serialVersionUID = 1L;

    /** Side output of the records that could not be decoded. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<TextEvent> out) {
        if (record.getEvent() != null) {
            out.collect(record.getEvent());
        } else if (record.getDeadLetter() != null) {
            ctx.output(DEAD_LETTERS, record.getDeadLetter());
        } else {
            // Only a coding error produces this; there is no source record left to dead-letter.
            throw new IllegalArgumentException(
                    "DecodedRecord has neither an event nor a dead letter");
        }
    }
}
