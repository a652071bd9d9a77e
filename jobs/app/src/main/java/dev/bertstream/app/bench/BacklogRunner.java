package dev.bertstream.app.bench;

import dev.bertstream.app.demo.JobMetricsProbe;
import dev.bertstream.app.local.FreePorts;

import org.apache.flink.core.execution.JobClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs one {@link BacklogPath} over the backlog: starts its job, reads its output until every event
 * is labeled (showing progress), reads the job's model-call metrics, cancels the job.
 */
final class BacklogRunner {

    /** A path that labels nothing new for this long has stalled: the run fails. */
    private static final long STALL_MILLIS = 180_000;

    private static final long PROGRESS_MILLIS = 5_000;

    private final String bootstrap;
    private final Path bundle;
    private final BacklogPath.Settings settings;
    private final double skipFraction;
    private final PrintStream progress;
    private final PauseDetector pauses;

    BacklogRunner(
            String bootstrap,
            Path bundle,
            BacklogPath.Settings settings,
            double skipFraction,
            PrintStream progress,
            PauseDetector pauses) {
        this.bootstrap = bootstrap;
        this.bundle = bundle;
        this.settings = settings;
        this.skipFraction = skipFraction;
        this.progress = progress;
        this.pauses = pauses;
    }

    PathResult run(BacklogPath path, int events, int round) throws Exception {
        int port = FreePorts.reserve();
        LabeledTimesReader reader =
                new LabeledTimesReader(bootstrap, path.outputTopic(), path.decoder());
        long submitted = System.nanoTime();
        long submittedAt = System.currentTimeMillis();
        JobClient job = path.start(bootstrap, bundle, settings, port);
        Thread t = new Thread(reader, "bench-" + path.name() + "-reader");
        t.start();
        try {
            awaitAll(path, job, reader, events, submitted);
            double seconds = (System.nanoTime() - submitted) / 1e9;
            BacklogPath.ModelCalls calls =
                    modelCalls(
                            path, new JobMetricsProbe(port, job.getJobID().toHexString()), events);
            long[] times = reader.labeledAtMillis();
            List<PauseDetector.Pause> paused = pauses.pauses();
            long pausedMillis =
                    PauseDetector.pausedWithin(paused, submittedAt, System.currentTimeMillis());
            PathResult r =
                    new PathResult(
                            path.name(),
                            round,
                            events,
                            reader.distinct(),
                            reader.duplicates(),
                            SteadyThroughput.eventsPerSecond(times, skipFraction, paused),
                            SteadyThroughput.eventsPerSecond(times, 0, paused),
                            seconds,
                            calls == null ? Double.NaN : calls.meanBatch(),
                            pausedMillis / 1000.0,
                            LoadAverage.now());
            progress.printf(
                    Locale.ROOT,
                    "[%s] done: %.1f events/s steady, mean batch %.1f, %d duplicates, paused %.0f"
                            + " s, load %s%n",
                    path.name(),
                    r.steadyRate(),
                    r.meanBatch(),
                    r.duplicates(),
                    r.pausedSeconds(),
                    r.load());
            return r;
        } finally {
            job.cancel().get();
            reader.stop();
            t.join();
        }
    }

    private void awaitAll(
            BacklogPath path, JobClient job, LabeledTimesReader reader, int events, long submitted)
            throws Exception {
        long lastReport = System.nanoTime();
        int lastCount = 0;
        long lastNew = System.nanoTime();
        int count = 0;
        while (count < events) {
            long before = System.nanoTime();
            Thread.sleep(250);
            long slept = System.nanoTime() - before;
            if (slept > PauseDetector.MIN_PAUSE_MILLIS * 1_000_000) {
                // This JVM was paused: the job did not run either, so the pause is no stall.
                lastNew += slept;
            }
            reader.check();
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
                throw new IllegalStateException(
                        path.name()
                                + ": the job ended with "
                                + count
                                + " of "
                                + events
                                + " labeled");
            }
            int now = reader.distinct();
            if (now > count) {
                lastNew = System.nanoTime();
            }
            count = now;
            if ((System.nanoTime() - lastNew) / 1_000_000 > STALL_MILLIS) {
                throw new IllegalStateException(
                        String.format(
                                "%s: nothing new labeled for %d s, %d of %d labeled",
                                path.name(), STALL_MILLIS / 1000, count, events));
            }
            long sinceReport = System.nanoTime() - lastReport;
            if (sinceReport / 1_000_000 >= PROGRESS_MILLIS) {
                progress.printf(
                        Locale.ROOT,
                        "[%s] %d / %d labeled, %.1f events/s read back over the last %.0f s, %.0f s"
                                + " since submission, load %s%n",
                        path.name(),
                        count,
                        events,
                        (count - lastCount) / (sinceReport / 1e9),
                        sinceReport / 1e9,
                        (System.nanoTime() - submitted) / 1e9,
                        LoadAverage.now());
                lastReport = System.nanoTime();
                lastCount = count;
            }
        }
    }

    /**
     * The job's model calls once its REST copy of the metrics counts every row (it lags by its
     * fetch interval); null if the REST API does not answer.
     */
    private BacklogPath.ModelCalls modelCalls(BacklogPath path, JobMetricsProbe probe, int events) {
        try {
            long until = System.nanoTime() + 15_000_000_000L;
            BacklogPath.ModelCalls calls = path.modelCalls(probe);
            while (calls.rows() < events && System.nanoTime() < until) {
                Thread.sleep(500);
                calls = path.modelCalls(probe);
            }
            return calls;
        } catch (Exception e) {
            progress.println(path.name() + ": job metrics not readable: " + e);
            return null;
        }
    }
}
