package dev.bertstream.jobs.batching;

import dev.bertstream.events.TextEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.util.List;

/**
 * Events of many keys flushed together for one inference call, in arrival order per key, with when
 * each arrived and why the batch was flushed. A {@link Tuple4} so Flink serializes it with its own
 * tuple, list and Avro serializers (no Kryo), in checkpoints of the async operator too.
 */
public class MicroBatch extends Tuple4<List<TextEvent>, long[], String, Long> {

    /** Flink type of micro-batches. */
    public static final TypeInformation<MicroBatch> TYPE_INFO =
            new TupleTypeInfo<>(
                    MicroBatch.class,
                    Types.LIST(new AvroTypeInfo<>(TextEvent.class)),
                    Types.PRIMITIVE_ARRAY(Types.LONG),
                    Types.STRING,
                    Types.LONG);

    /** For Flink's serializer. */
    public MicroBatch() {}

    public MicroBatch(List<TextEvent> events, long[] arrivals, FlushReason reason, long createdAt) {
        super(events, arrivals, reason.name(), createdAt);
    }

    public List<TextEvent> events() {
        return f0;
    }

    /** Processing time (ms) at which each event reached the batching operator. */
    public long[] arrivals() {
        return f1;
    }

    public FlushReason reason() {
        return FlushReason.valueOf(f2);
    }

    public long createdAt() {
        return f3;
    }

    public int size() {
        return f0.size();
    }
}
