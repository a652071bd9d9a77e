package dev.bertstream.serde;

import dev.bertstream.events.ModelRollout;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@link ModelRollout}s from the control topic ({@link ModelRolloutJson}). A record that is
 * not a roll-out is logged, counted ({@code serde.malformedRollouts}) and skipped: a typo on the
 * control topic must not stop the job, and the model serving keeps its version.
 */
@PublicEvolving
public final class ModelRolloutDeserializationSchema
        implements KafkaRecordDeserializationSchema<ModelRollout> {

    private static final Logger LOG =
            LoggerFactory.getLogger(ModelRolloutDeserializationSchema.class);

    private transient Counter malformed;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        malformed = context.getMetricGroup().addGroup("serde").counter("malformedRollouts");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelRollout> out) {
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("record value is null (a tombstone)");
            }
            out.collect(ModelRolloutJson.parse(record.value()));
        } catch (IllegalArgumentException e) {
            if (malformed == null) {
                malformed = new SimpleCounter();
            }
            malformed.inc();
            LOG.warn(
                    "Skipped the control record at {}-{}@{}: not a model roll-out ({}); the model"
                            + " serving is unchanged",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public TypeInformation<ModelRollout> getProducedType() {
        return new AvroTypeInfo<>(ModelRollout.class);
    }
}
