package dev.bertstream.app.bench;

import dev.bertstream.app.demo.JobMetricsProbe;

import org.apache.flink.core.execution.JobClient;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One way of labeling the backlog that {@code bench sql} compares: a job started on a local
 * MiniCluster, reading the input topic from the earliest offset, writing labeled events with the
 * time it labeled them to its output topic, exactly-once.
 */
interface BacklogPath {

    /** Settings every compared path runs with. */
    record Settings(int parallelism, Duration checkpointInterval) {}

    /** Model calls and the rows they carried, as the job's metrics count them. */
    record ModelCalls(long rows, long calls) {

        /** Rows per model call; NaN before the first call. */
        double meanBatch() {
            return calls == 0 ? Double.NaN : (double) rows / calls;
        }
    }

    /** Short name for the report ({@code datastream}, {@code sql}). */
    String name();

    /** The topic the job writes every labeled event to. */
    String outputTopic();

    /** Reads the event id and labeling time out of one output record. */
    LabeledTimesReader.Decoder decoder();

    /** Starts the job, its web UI and REST API on {@code restPort}. */
    JobClient start(String bootstrap, Path bundle, Settings settings, int restPort)
            throws Exception;

    /** The job's model calls so far, read through its REST API. */
    ModelCalls modelCalls(JobMetricsProbe probe) throws Exception;
}
