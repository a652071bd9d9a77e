package dev.bertstream.jobs.testutils;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-process metric reporter that keeps every live gauge of a MiniCluster so a test can read
 * operator state (e.g. {@code bufferedEvents}) at the moment it matters. Register it with {@link
 * #register(Configuration)}.
 */
public final class GaugeReporter implements MetricReporter {

    /** Live gauges by metric identifier (scope and name). */
    private static final Map<String, Gauge<?>> GAUGES = new ConcurrentHashMap<>();

    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    /**
     * Adds this reporter to a MiniCluster configuration; Flink finds the factory through
     * META-INF/services in the test resources.
     */
    public static void register(Configuration conf) {
        conf.setString("metrics.reporter.gauges.factory.class", Factory.class.getName());
    }

    /** The current values of all live gauges named {@code name} (one per subtask or job). */
    public static List<Number> values(String name) {
        return GAUGES.entrySet().stream()
                .filter(e -> name.equals(NAMES.get(e.getKey())))
                .map(e -> e.getValue().getValue())
                .filter(v -> v instanceof Number)
                .map(v -> (Number) v)
                .toList();
    }

    /** The sum over all live gauges named {@code name}; 0 when there are none. */
    public static long sum(String name) {
        return values(name).stream().mapToLong(Number::longValue).sum();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Gauge<?> g) {
            String id = group.getMetricIdentifier(name);
            GAUGES.put(id, g);
            NAMES.put(id, name);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String id = group.getMetricIdentifier(name);
        GAUGES.remove(id, metric);
    }

    /** Creates the reporter; named in the configuration by class. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new GaugeReporter();
        }
    }
}
