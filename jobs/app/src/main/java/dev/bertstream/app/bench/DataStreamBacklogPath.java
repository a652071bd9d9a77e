package dev.bertstream.app.bench;

import dev.bertstream.app.demo.JobMetricsProbe;
import dev.bertstream.app.local.LocalPipeline;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.serde.SerdeOptions;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.core.execution.JobClient;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The DataStream job ({@code ClassificationWorkflow}) with its default batching and inference
 * settings, reading the JSON backlog; every event goes to {@code chat.labeled} (Avro, with {@code
 * processed_at}), toxic ones to {@code chat.moderation} as well.
 */
final class DataStreamBacklogPath implements BacklogPath {

    @Override
    public String name() {
        return "datastream";
    }

    @Override
    public String outputTopic() {
        return JobOptions.LABELED_TOPIC.defaultValue();
    }

    @Override
    public LabeledTimesReader.Decoder decoder() {
        return value -> {
            LabeledEvent e = LabeledEvent.fromByteBuffer(ByteBuffer.wrap(value));
            return new LabeledTimesReader.Labeled(
                    e.getEvent().getEventId(), e.getProcessedAt().toEpochMilli());
        };
    }

    @Override
    public JobClient start(String bootstrap, Path bundle, Settings settings, int restPort)
            throws Exception {
        List<String> overrides =
                List.of(
                        "--" + JobOptions.STARTING_OFFSETS.key(),
                        "earliest",
                        "--" + SerdeOptions.INPUT_FORMAT.key(),
                        WireFormat.JSON.name(),
                        "--" + JobOptions.DELIVERY.key(),
                        "exactly-once",
                        "--" + JobOptions.CHECKPOINT_INTERVAL.key(),
                        settings.checkpointInterval().toMillis() + " ms",
                        "--" + JobOptions.PARALLELISM.key(),
                        Integer.toString(settings.parallelism()));
        return LocalPipeline.start(
                LocalPipeline.config(bootstrap, bundle, overrides), restPort, false);
    }

    @Override
    public ModelCalls modelCalls(JobMetricsProbe probe) throws Exception {
        JobMetricsProbe.Snapshot s = probe.snapshot();
        return new ModelCalls(s.labeled(), s.batches());
    }
}
