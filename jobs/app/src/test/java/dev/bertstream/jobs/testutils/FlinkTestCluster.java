package dev.bertstream.jobs.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.taskmanager.TaskManagerLocation;
import org.apache.flink.streaming.util.TestStreamEnvironment;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A Flink MiniCluster with several TaskManagers, any of which can be killed mid-job; jobs built
 * with {@code StreamExecutionEnvironment.getExecutionEnvironment()} run on it. {@link #metrics()}
 * reads their live metrics.
 */
public final class FlinkTestCluster implements AutoCloseable {

    private final MiniCluster cluster;
    private final int taskManagers;
    private final JobMetrics metrics;

    private FlinkTestCluster(MiniCluster cluster, int taskManagers, JobMetrics metrics) {
        this.cluster = cluster;
        this.taskManagers = taskManagers;
        this.metrics = metrics;
    }

    /** Starts {@code taskManagers} TaskManagers with {@code slots} slots each. */
    public static FlinkTestCluster start(int taskManagers, int slots, int parallelism)
            throws Exception {
        return start(taskManagers, slots, parallelism, new Configuration());
    }

    /**
     * As {@link #start(int, int, int)} with {@code clusterConf} in the cluster configuration, the
     * way {@code bert-stream run} starts its local cluster from the job configuration.
     */
    public static FlinkTestCluster start(
            int taskManagers, int slots, int parallelism, Configuration clusterConf)
            throws Exception {
        Configuration conf = new Configuration(clusterConf);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        // Spread the subtasks over the TaskManagers, so killing one always hits the job.
        conf.set(
                TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
                TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        JobMetrics metrics = new JobMetrics();
        conf = metrics.attach(conf);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(taskManagers)
                                .setNumSlotsPerTaskManager(slots)
                                .withRandomPorts()
                                .build());
        cluster.start();
        TestStreamEnvironment.setAsContext(cluster, parallelism);
        return new FlinkTestCluster(cluster, taskManagers, metrics);
    }

    /** Live metrics of the jobs on this cluster. */
    public JobMetrics metrics() {
        return metrics;
    }

    public MiniCluster miniCluster() {
        return cluster;
    }

    /** Terminates TaskManager {@code index} (0-based) and its tasks; the job must fail over. */
    public void killTaskManager(int index) throws Exception {
        cluster.terminateTaskManager(index).get();
    }

    /** Adds a fresh TaskManager, e.g. to replace a killed one. */
    public void startTaskManager() throws Exception {
        cluster.startTaskManager();
    }

    public int taskManagers() {
        return taskManagers;
    }

    public AccessExecutionGraph graph(JobID job) throws Exception {
        return cluster.getExecutionGraph(job).get();
    }

    public CheckpointStatsSnapshot checkpoints(JobID job) throws Exception {
        return graph(job).getCheckpointStatsSnapshot();
    }

    /** Id of the latest completed checkpoint, or 0 when none completed yet. */
    public long latestCompletedCheckpoint(JobID job) throws Exception {
        var latest = checkpoints(job).getHistory().getLatestCompletedCheckpoint();
        return latest == null ? 0 : latest.getCheckpointId();
    }

    /** The restore of the latest recovery, or {@code null} when the job never recovered. */
    public RestoredCheckpointStats latestRestore(JobID job) throws Exception {
        return checkpoints(job).getLatestRestoredCheckpoint();
    }

    /** The TaskManagers that host the job's current subtasks. */
    public Set<ResourceID> taskManagersOf(JobID job) throws Exception {
        return StreamSupport.stream(graph(job).getAllExecutionVertices().spliterator(), false)
                .map(AccessExecutionVertex::getCurrentAssignedResourceLocation)
                .filter(Objects::nonNull)
                .map(TaskManagerLocation::getResourceID)
                .collect(Collectors.toSet());
    }

    /** Whether the job is RUNNING with every subtask RUNNING. */
    public boolean allRunning(JobID job) throws Exception {
        AccessExecutionGraph g = graph(job);
        return g.getState() == JobStatus.RUNNING
                && StreamSupport.stream(g.getAllExecutionVertices().spliterator(), false)
                        .map(AccessExecutionVertex::getExecutionState)
                        .allMatch(s -> s == ExecutionState.RUNNING);
    }

    /** Waits until every subtask of {@code job} runs. */
    public void awaitAllRunning(JobID job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allRunning(job)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "job "
                                + job
                                + " not running after "
                                + timeout
                                + ": "
                                + graph(job).getState());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        TestStreamEnvironment.unsetAsContext();
        cluster.close();
    }
}
