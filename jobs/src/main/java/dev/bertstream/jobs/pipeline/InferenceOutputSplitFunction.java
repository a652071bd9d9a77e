package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Emits labeled events and sends inference dead letters to {@link #DEAD_LETTERS}. */
public class InferenceOutputSplitFunction
        extends ProcessFunction<Either<LabeledEvent, DeadLetter>, LabeledEvent> {

    /** Events whose inference failed after retries. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("inference-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    @Override
    public void processElement(
            Either<LabeledEvent, DeadLetter> value, Context ctx, Collector<LabeledEvent> out) {
        if (value.isLeft()) {
            out.collect(value.left());
        } else {
            ctx.output(DEAD_LETTERS, value.right());
        }
    }
}
