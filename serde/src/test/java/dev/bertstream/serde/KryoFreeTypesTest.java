package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.serde.testutils.Deserializers;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event types move between Flink operators with Avro's serializer, never Kryo. */
class KryoFreeTypesTest {

    private static SerializerConfig genericTypesDisabled() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return new SerializerConfigImpl(conf);
    }

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of(TestEvents.textEvent()),
                Arguments.of(TestEvents.minimalTextEvent()),
                Arguments.of(TestEvents.labeledEvent()),
                Arguments.of(TestEvents.deadLetter()),
                Arguments.of(new DecodedRecord(TestEvents.textEvent(), null, TestEvents.origin())),
                Arguments.of(new TracedEvent(TestEvents.textEvent(), TestEvents.origin())),
                Arguments.of(new DecodedRecord(null, TestEvents.deadLetter(), null)));
    }

    @Test
    void theConfigurationReallyForbidsKryo() {
        // Without this the other assertions could pass on a config that allows generic types.
        SerializerConfig config = genericTypesDisabled();
        assertThat(config.hasGenericTypesDisabled()).isTrue();
        assertThatThrownBy(
                        () -> new GenericTypeInfo<>(StringBuilder.class).createSerializer(config))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecordBase> void roundTripsThroughAvroSerializerWithGenericTypesDisabled(
            T record) throws Exception {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(AvroTypeInfo.class).isNotInstanceOf(GenericTypeInfo.class);

        TypeSerializer<T> serializer = info.createSerializer(genericTypesDisabled());

        assertThat(serializer).isInstanceOf(AvroSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        T back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(record);
        assertThat(serializer.copy(record)).isEqualTo(record).isNotSameAs(record);
    }

    @Test
    void publicFlinkTypesAreAvroTypes() {
        assertThat(Deserializers.of(WireFormat.CONFLUENT).getProducedType())
                .isInstanceOf(AvroTypeInfo.class);
        assertThat(DecodedRecordSplitFunction.DEAD_LETTERS.getTypeInfo())
                .isInstanceOf(AvroTypeInfo.class);
    }

    /**
     * The pipeline the jobs module builds, with the job's setting; graph creation fails on any Kryo
     * type.
     */
    @Test
    void theWholeSerdePipelineBuildsWithGenericTypesDisabled() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        KafkaSource<DecodedRecord> source =
                KafkaSource.<DecodedRecord>builder()
                        .setBootstrapServers("localhost:9092")
                        .setTopics("text-events")
                        .setGroupId("bert-stream")
                        .setDeserializer(Deserializers.of(WireFormat.CONFLUENT))
                        .build();

        SingleOutputStreamOperator<TracedEvent> events =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "events")
                        .process(new DecodedRecordSplitFunction());
        events.map(new FakeClassifier())
                .sinkTo(
                        KafkaSink.<LabeledEvent>builder()
                                .setBootstrapServers("localhost:9092")
                                .setRecordSerializer(
                                        LabeledEventSerializationSchema.builder("labeled")
                                                .setConfluentSchemaId(2)
                                                .build())
                                .build());
        events.getSideOutput(DecodedRecordSplitFunction.DEAD_LETTERS)
                .sinkTo(
                        KafkaSink.<DeadLetter>builder()
                                .setBootstrapServers("localhost:9092")
                                .setRecordSerializer(
                                        DeadLetterSerializationSchema.builder("dlq")
                                                .setConfluentSchemaId(3)
                                                .build())
                                .build());
        StreamGraph graph = env.getStreamGraph();

        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            serializers.add(node.getTypeSerializerOut());
            serializers.addAll(List.of(node.getTypeSerializersIn()));
        }
        assertThat(serializers)
                .filteredOn(s -> s instanceof AvroSerializer)
                .hasSizeGreaterThanOrEqualTo(4);
        assertThat(serializers)
                .noneMatch(s -> s != null && s.getClass().getName().contains("Kryo"));
        // Building the job graph Java-serializes every operator, including the schemas inside.
        assertThat(graph.getJobGraph().getNumberOfVertices()).isPositive();
    }

    /** Stands in for the classifier of the jobs module. */
    static final class FakeClassifier implements MapFunction<TracedEvent, LabeledEvent> {
        @Override
        public LabeledEvent map(TracedEvent e) {
            return LabeledEvent.newBuilder(TestEvents.labeledEvent())
                    .setEvent(e.getEvent())
                    .build();
        }
    }
}
