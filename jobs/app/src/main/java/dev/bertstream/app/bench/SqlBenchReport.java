package dev.bertstream.app.bench;

import java.util.List;
import java.util.Locale;

/**
 * The report of {@code bench sql}: one table row per path and the SQL path's throughput as a share
 * of the DataStream job's, against issue 21's bound (within 15%).
 */
final class SqlBenchReport {

    /** The SQL path may be at most this much slower than the DataStream job. */
    static final double MAX_SLOWDOWN = 0.15;

    private SqlBenchReport() {}

    /** A Markdown table, one row per path. */
    static String table(List<PathResult> results) {
        StringBuilder md =
                new StringBuilder(
                        "| path | round | events | labeled | duplicates | steady events/s | events/s"
                                + " first to last | seconds | paused s | mean batch | load after |\n"
                                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (PathResult r : results) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %d | %d | %d | %.1f | %.1f | %.0f | %.0f | %s | %s |%n",
                            r.path(),
                            r.round(),
                            r.events(),
                            r.labeled(),
                            r.duplicates(),
                            r.steadyRate(),
                            r.wholeRate(),
                            r.seconds(),
                            r.pausedSeconds(),
                            Double.isNaN(r.meanBatch())
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.1f", r.meanBatch()),
                            r.load()));
        }
        return md.toString();
    }

    /**
     * {@code sql / datastream = 0.962 (3.8% slower): within 15%}, from each path's steady rate
     * averaged over its rounds.
     */
    static String ratioLine(List<PathResult> results) {
        double ratio = meanSteadyRate(results, "sql") / meanSteadyRate(results, "datastream");
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "sql / datastream = n/a (a path has no steady rate)";
        }
        String diff =
                ratio <= 1
                        ? String.format(Locale.ROOT, "%.1f%% slower", 100 * (1 - ratio))
                        : String.format(Locale.ROOT, "%.1f%% faster", 100 * (ratio - 1));
        return String.format(
                Locale.ROOT,
                "sql / datastream = %.3f (%s): %s",
                ratio,
                diff,
                ratio >= 1 - MAX_SLOWDOWN ? "within 15%" : "NOT within 15%");
    }

    /** The mean of {@code path}'s steady rates over its rounds, or NaN if it did not run. */
    static double meanSteadyRate(List<PathResult> results, String path) {
        return results.stream()
                .filter(r -> r.path().equals(path))
                .mapToDouble(PathResult::steadyRate)
                .average()
                .orElse(Double.NaN);
    }
}
