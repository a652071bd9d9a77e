package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.AvroTextEventDecoder;
import dev.bertstream.serde.codec.DecodeException;
import dev.bertstream.serde.codec.JsonTextEventDecoder;
import dev.bertstream.serde.codec.TextEventDecoder;
import dev.bertstream.serde.codec.TextLimiter;

import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes input records into {@link DecodedRecord}s holding either a {@link TextEvent} or a {@link
 * DeadLetter}; it never throws on bad data. Split the stream with {@link
 * DecodedRecordSplitFunction}.
 *
 * <pre>{@code
 * KafkaSource.<DecodedRecord>builder()
 *     .setDeserializer(TextEventDeserializationSchema.builder().configure(config).build())
 * }</pre>
 */
@PublicEvolving
public class TextEventDeserializationSchema
        implements KafkaRecordDeserializationSchema<DecodedRecord> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TextEventDeserializationSchema.class);

    /** The {@code DeadLetter.stage} of records this schema rejects. */
    public static final String STAGE = "deserialize";

    private final WireFormat format;
    // Schemas travel as JSON: Avro's Schema is not reliably Java-serializable across versions.
    private final HashMap<Integer, String> confluentSchemas;
    private final ArrayList<String> singleObjectSchemas;
    private final TextLimiter limiter;
    private final DeadLetterLimits deadLetterLimits;
    private final Clock clock;

    private transient TextEventDecoder decoder;
    private transient DeadLetterFactory deadLetters;
    private transient Counter decodedCounter;
    private transient Counter deadLetterCounter;
    private transient Counter truncatedCounter;
    private transient EnumSet<DeadLetterReason> reasonsLogged;

    TextEventDeserializationSchema(
            WireFormat format,
            Map<Integer, Schema> confluentSchemas,
            List<Schema> singleObjectSchemas,
            TextLimiter limiter,
            DeadLetterLimits deadLetterLimits,
            Clock clock) {
        this.format = format;
        this.confluentSchemas = new HashMap<>();
        confluentSchemas.forEach((id, s) -> this.confluentSchemas.put(id, s.toString()));
        this.singleObjectSchemas = new ArrayList<>();
        singleObjectSchemas.forEach(s -> this.singleObjectSchemas.add(s.toString()));
        this.limiter = limiter;
        this.deadLetterLimits = deadLetterLimits;
        this.clock = clock;
    }

    public static TextEventDeserializationSchemaBuilder builder() {
        return new TextEventDeserializationSchemaBuilder();
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        MetricGroup group = context.getMetricGroup().addGroup("serde");
        decodedCounter = group.counter("decodedEvents");
        deadLetterCounter = group.counter("deadLetters");
        truncatedCounter = group.counter("truncatedTexts");
        init();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DecodedRecord> out) {
        out.collect(decode(record));
    }

    /** Decodes one record; every failure becomes a dead letter, nothing is thrown. */
    @VisibleForTesting
    DecodedRecord decode(ConsumerRecord<byte[], byte[]> record) {
        if (decoder == null) {
            init();
        }
        try {
            byte[] value = record.value();
            if (value == null) {
                throw new DecodeException(
                        DeadLetterReason.NULL_VALUE, "record value is null (a tombstone)");
            }
            if (value.length == 0) {
                throw new DecodeException(DeadLetterReason.EMPTY_VALUE, "record value is empty");
            }
            TextEvent event = decoder.decode(value, record.timestamp());
            decodedCounter.inc();
            if (event.getAttributes().containsKey(TextLimiter.TRUNCATED_ATTRIBUTE)) {
                truncatedCounter.inc();
            }
            return new DecodedRecord(event, null, DeadLetterFactory.origin(record));
        } catch (DecodeException e) {
            return deadLetter(record, e.reason(), e.errorClass(), e.getMessage());
        } catch (RuntimeException e) {
            // A decoder bug must not stop the job either; the raw record is kept for a retry.
            return deadLetter(
                    record,
                    DeadLetterReason.INTERNAL_ERROR,
                    e.getClass().getName(),
                    String.valueOf(e));
        }
    }

    @Override
    public TypeInformation<DecodedRecord> getProducedType() {
        return new AvroTypeInfo<>(DecodedRecord.class);
    }

    private DecodedRecord deadLetter(
            ConsumerRecord<byte[], byte[]> record,
            DeadLetterReason reason,
            String errorClass,
            String message) {
        deadLetterCounter.inc();
        // Bad input often comes in floods; the first of each kind is enough in the log.
        if (reasonsLogged.add(reason)) {
            LOG.warn(
                    "Dead-lettering {}-{}@{}: {} ({}); further {} records are logged at DEBUG",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason,
                    message,
                    reason);
        } else {
            LOG.debug(
                    "Dead-lettering {}-{}@{}: {} ({})",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    reason,
                    message);
        }
        return new DecodedRecord(
                null,
                deadLetters.create(
                        DeadLetterFactory.origin(record), STAGE, reason, errorClass, message),
                null);
    }

    private void init() {
        if (decodedCounter == null) {
            decodedCounter = new SimpleCounter();
            deadLetterCounter = new SimpleCounter();
            truncatedCounter = new SimpleCounter();
        }
        reasonsLogged = EnumSet.noneOf(DeadLetterReason.class);
        deadLetters = new DeadLetterFactory(deadLetterLimits, clock);
        switch (format) {
            case CONFLUENT:
                Map<Integer, Schema> byId = new HashMap<>();
                confluentSchemas.forEach(
                        (id, json) -> byId.put(id, new Schema.Parser().parse(json)));
                decoder = AvroTextEventDecoder.confluent(byId, limiter);
                break;
            case SINGLE_OBJECT:
                List<Schema> writers = new ArrayList<>();
                singleObjectSchemas.forEach(json -> writers.add(new Schema.Parser().parse(json)));
                decoder = AvroTextEventDecoder.singleObject(writers, limiter);
                break;
            default:
                decoder = new JsonTextEventDecoder(limiter);
        }
    }
}
