package dev.bertstream.jobs.pipeline;

import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.CollectingRecordSink;
import dev.bertstream.jobs.testutils.SerializedRecordSource;
import dev.bertstream.serde.TextEventDeserializationSchema;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the uids of the job's operators: savepoints of running jobs map state to operators by uid,
 * so a changed uid loses the Kafka offsets or the buffered events of an upgraded job.
 */
class ClassificationWorkflowUidsTest {

    @Test
    void operatorUidsAreThoseOfReleasedSavepoints() {
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                JobOptions.BOOTSTRAP_SERVERS.key(),
                                "localhost:9",
                                JobOptions.MODEL.key(),
                                "unused-bundle",
                                JobOptions.INTENT_TOPIC_PATTERN.key(),
                                "chat.intent.{label}",
                                "serde.input.format",
                                "SINGLE_OBJECT",
                                "serde.output.format",
                                "SINGLE_OBJECT"));
        JobRecordSchemas schemas = JobRecordSchemas.from(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ClassificationWorkflow.of(conf)
                .define(
                        env,
                        SerializedRecordSource.of(
                                "in",
                                List.of(),
                                TextEventDeserializationSchema.builder().configure(conf).build()),
                        new JobSinks(
                                new CollectingRecordSink<>(schemas.labeled()),
                                new CollectingRecordSink<>(schemas.moderation()),
                                new CollectingRecordSink<>(schemas.intents()),
                                new CollectingRecordSink<>(schemas.deadLetters())));

        List<String> uids =
                env.getStreamGraph().getStreamNodes().stream()
                        .map(StreamNode::getTransformationUID)
                        .filter(Objects::nonNull)
                        .toList();

        // Literal on purpose: the released uids, not the constants that should equal them.
        assertThat(uids)
                .containsExactlyInAnyOrder(
                        "kafka-source",
                        "split-decoded",
                        "batch-inference",
                        "sink-labeled",
                        "filter-moderation",
                        "sink-moderation",
                        "filter-intents",
                        "sink-intents",
                        "sink-dead-letters");
    }
}
