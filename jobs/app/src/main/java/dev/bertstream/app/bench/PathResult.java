package dev.bertstream.app.bench;

/**
 * What one path of {@code bench sql} measured draining the backlog.
 *
 * @param path the path's name
 * @param round the round it ran in, from 1
 * @param events events in the backlog
 * @param labeled distinct event ids read back (read_committed)
 * @param duplicates records of an id read back more than once
 * @param steadyRate events/s after the start-up share (see {@link SteadyThroughput})
 * @param wholeRate events/s from the first to the last labeled event
 * @param seconds from job submission to the last event read back
 * @param meanBatch rows per model call, from the job's metrics (NaN if unreadable)
 * @param pausedSeconds time this JVM was paused while the path ran, left out of the rates
 * @param load load averages (1/5/15 min) when the path finished
 */
record PathResult(
        String path,
        int round,
        int events,
        int labeled,
        long duplicates,
        double steadyRate,
        double wholeRate,
        double seconds,
        double meanBatch,
        double pausedSeconds,
        String load) {}
