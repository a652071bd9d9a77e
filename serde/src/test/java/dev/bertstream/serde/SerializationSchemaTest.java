package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.serde.codec.AvroRecordReader;
import dev.bertstream.serde.codec.AvroRecordWriter;
import dev.bertstream.serde.codec.WireFraming;
import dev.bertstream.serde.testutils.FakeContexts;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerializationSchemaTest {

    private static final FakeContexts.Sink SINK = new FakeContexts.Sink();

    @Test
    void writesLabeledEventsConfluentFramedAndKeyedByTheInputKey() throws Exception {
        LabeledEventSerializationSchema schema =
                open(
                        LabeledEventSerializationSchema.builder("labeled")
                                .setConfluentSchemaId(77)
                                .build());
        LabeledEvent event = TestEvents.labeledEvent();

        ProducerRecord<byte[], byte[]> record = schema.serialize(event, SINK, 1_000L);

        assertThat(record.topic()).isEqualTo("labeled");
        assertThat(record.partition()).isNull();
        assertThat(record.timestamp()).isEqualTo(1_000L);
        assertThat(new String(record.key(), StandardCharsets.UTF_8))
                .isEqualTo(event.getEvent().getKey());
        assertThat(WireFraming.confluentSchemaId(record.value())).isEqualTo(77);
        byte[] v = record.value();
        assertThat(
                        new AvroRecordReader<>(LabeledEvent.class)
                                .scanAndRead(
                                        LabeledEvent.getClassSchema(),
                                        v,
                                        WireFraming.CONFLUENT_HEADER_SIZE,
                                        v.length - 5))
                .isEqualTo(event);
    }

    @Test
    void writesDeadLettersSingleObjectKeyedByTheOriginalKey() throws Exception {
        DeadLetterSerializationSchema schema =
                open(
                        DeadLetterSerializationSchema.builder("dlq")
                                .setFormat(WireFormat.SINGLE_OBJECT)
                                .build());
        DeadLetter dl = TestEvents.deadLetter();

        ProducerRecord<byte[], byte[]> record = schema.serialize(dl, SINK, null);

        assertThat(record.topic()).isEqualTo("dlq");
        assertThat(record.timestamp()).isNull();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("conv-42");
        assertThat(DeadLetter.fromByteBuffer(java.nio.ByteBuffer.wrap(record.value())))
                .isEqualTo(dl);
        assertThat(dl.getKey().position()).as("the element is not consumed").isZero();
    }

    @Test
    void leavesKeylessDeadLettersKeylessAndDropsNegativeTimestamps() {
        DeadLetter dl = DeadLetter.newBuilder(TestEvents.deadLetter()).setKey(null).build();
        ProducerRecord<byte[], byte[]> record =
                DeadLetterSerializationSchema.builder("dlq")
                        .setConfluentSchemaId(3)
                        .build()
                        .serialize(dl, SINK, -1L);
        assertThat(record.key()).isNull();
        assertThat(record.timestamp()).isNull();
    }

    @Test
    void readsFormatAndSchemaIdsFromConfiguration() throws Exception {
        Configuration conf = new Configuration();
        conf.set(SerdeOptions.OUTPUT_CONFLUENT_LABELED_EVENT_SCHEMA_ID, 11);
        conf.set(SerdeOptions.OUTPUT_CONFLUENT_DEAD_LETTER_SCHEMA_ID, 12);

        byte[] labeled =
                LabeledEventSerializationSchema.builder("l")
                        .configure(conf)
                        .build()
                        .serialize(TestEvents.labeledEvent(), SINK, null)
                        .value();
        byte[] dead =
                DeadLetterSerializationSchema.builder("d")
                        .configure(conf)
                        .build()
                        .serialize(TestEvents.deadLetter(), SINK, null)
                        .value();

        assertThat(labeled[0]).isZero();
        assertThat(WireFraming.confluentSchemaId(labeled)).isEqualTo(11);
        assertThat(WireFraming.confluentSchemaId(dead)).isEqualTo(12);

        conf.set(SerdeOptions.OUTPUT_FORMAT, WireFormat.SINGLE_OBJECT);
        byte[] so =
                LabeledEventSerializationSchema.builder("l")
                        .configure(conf)
                        .build()
                        .serialize(TestEvents.labeledEvent(), SINK, null)
                        .value();
        assertThat(WireFraming.singleObjectFingerprint(so))
                .isEqualTo(AvroRecordWriter.fingerprint(LabeledEvent.getClassSchema()));
    }

    @Test
    void refusesIncompleteConfigurationNamingTheKey() {
        assertThatThrownBy(() -> LabeledEventSerializationSchema.builder("l").build())
                .hasMessageContaining(SerdeOptions.OUTPUT_CONFLUENT_LABELED_EVENT_SCHEMA_ID.key());
        assertThatThrownBy(() -> DeadLetterSerializationSchema.builder("d").build())
                .hasMessageContaining(SerdeOptions.OUTPUT_CONFLUENT_DEAD_LETTER_SCHEMA_ID.key());
        assertThatThrownBy(
                        () ->
                                DeadLetterSerializationSchema.builder("d")
                                        .setFormat(WireFormat.JSON)
                                        .build())
                .hasMessageContaining(SerdeOptions.OUTPUT_FORMAT.key());
        assertThatThrownBy(
                        () ->
                                DeadLetterSerializationSchema.builder(" ")
                                        .setFormat(WireFormat.SINGLE_OBJECT)
                                        .build())
                .hasMessageContaining("topic");
    }

    @Test
    void survivesJavaSerializationLikeFlinkShipsIt() throws Exception {
        LabeledEventSerializationSchema schema =
                open(
                        LabeledEventSerializationSchema.builder("labeled")
                                .setConfluentSchemaId(5)
                                .build());
        LabeledEventSerializationSchema copy = open(InstantiationUtil.clone(schema));

        assertThat(copy.serialize(TestEvents.labeledEvent(), SINK, 1L).value())
                .isEqualTo(schema.serialize(TestEvents.labeledEvent(), SINK, 1L).value());
    }

    private static <S extends AvroKafkaSerializationSchema<?>> S open(S schema) throws Exception {
        schema.open(new FakeContexts.Init(), SINK);
        return schema;
    }
}
