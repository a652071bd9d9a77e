package dev.bertstream.serde.testutils;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

/** Minimal runtime contexts for opening schemas outside a Flink job. */
public final class FakeContexts {

    private FakeContexts() {}

    /** An initialization context for both source and sink schemas. */
    public static final class Init
            implements DeserializationSchema.InitializationContext,
                    SerializationSchema.InitializationContext {

        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(FakeContexts.class.getClassLoader());
        }
    }

    /** A sink context for one of one subtasks and four partitions per topic. */
    public static final class Sink implements KafkaRecordSerializationSchema.KafkaSinkContext {

        @Override
        public int getParallelInstanceId() {
            return 0;
        }

        @Override
        public int getNumberOfParallelInstances() {
            return 1;
        }

        @Override
        public int[] getPartitionsForTopic(String topic) {
            return new int[] {0, 1, 2, 3};
        }
    }
}
