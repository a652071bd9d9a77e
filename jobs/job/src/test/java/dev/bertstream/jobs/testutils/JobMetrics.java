package dev.bertstream.jobs.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/**
 * Live metrics of jobs on an in-process MiniCluster, through Flink's {@link InMemoryReporter}: lets
 * a test check that a fault strikes while batches are buffered and in flight, or that a restore
 * found state. One instance per MiniCluster: the reporter closes with its cluster.
 */
public final class JobMetrics {

    private final InMemoryReporter reporter = InMemoryReporter.create();

    /** The configuration a MiniCluster starts with, plus this reporter. */
    public Configuration attach(Configuration conf) {
        return reporter.addToConfiguration(conf);
    }

    /** The sum over a job's metrics named {@code name}, e.g. one gauge per subtask. */
    public double sum(JobID job, String name) {
        double sum = 0;
        for (Metric m : reporter.findMetrics(job, name).values()) {
            sum += value(m);
        }
        return sum;
    }

    /** The largest of a job's metrics named {@code name}; 0 if there is none. */
    public double max(JobID job, String name) {
        double max = 0;
        for (Metric m : reporter.findMetrics(job, name).values()) {
            max = Math.max(max, value(m));
        }
        return max;
    }

    /** Whether the job reports a metric named {@code name}, so that a sum of 0 means zero. */
    public boolean has(JobID job, String name) {
        return !reporter.findMetrics(job, name).isEmpty();
    }

    private static double value(Metric m) {
        if (m instanceof Counter c) {
            return c.getCount();
        }
        if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.doubleValue();
        }
        return 0;
    }
}
