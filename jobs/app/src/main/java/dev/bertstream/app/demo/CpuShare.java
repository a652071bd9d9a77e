package dev.bertstream.app.demo;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the machine's CPU time was split between this process and every other process since a start
 * point, from Linux's {@code /proc/stat} and {@code /proc/self/stat}. The demo reports it because
 * its latency assumes the pipeline has the machine: on a 2-core machine a build running beside it
 * takes the headroom the exactly-once pipeline needs, and latency grows by seconds.
 */
@Internal
final class CpuShare {

    private final long[] start;

    private CpuShare(long[] start) {
        this.start = start;
    }

    /** Starts measuring now; {@code null} where {@code /proc} cannot be read (not Linux). */
    static CpuShare start() {
        long[] now = read();
        return now == null ? null : new CpuShare(now);
    }

    /** Cores used by this process and by all others since {@link #start()}, or {@code null}. */
    Cores since() {
        long[] now = read();
        if (now == null) {
            return null;
        }
        return cores(start, now, Runtime.getRuntime().availableProcessors());
    }

    /** Average cores in use by this process and by the rest of the machine. */
    record Cores(double self, double others, int available) {
        /** Whether other processes took enough CPU to distort the demo's latency. */
        boolean contended() {
            return others >= 0.25;
        }
    }

    /**
     * Cores used between two readings of {@code {busy, total, self}} jiffies on a machine with
     * {@code available} cores.
     */
    static Cores cores(long[] from, long[] to, int available) {
        double total = Math.max(1, to[1] - from[1]);
        double busy = (to[0] - from[0]) / total * available;
        double self = (to[2] - from[2]) / total * available;
        return new Cores(self, Math.max(0, busy - self), available);
    }

    /**
     * Busy and total jiffies of all CPUs from the first line of {@code /proc/stat} ({@code cpu user
     * nice system idle iowait irq softirq steal ...}).
     */
    static long[] machineJiffies(String procStatFirstLine) {
        String[] f = procStatFirstLine.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    /**
     * User plus system jiffies of a process from its {@code /proc/PID/stat} line: fields 14 and 15,
     * counted after the command name, which is in parentheses and may contain spaces.
     */
    static long processJiffies(String procPidStat) {
        String[] f = procPidStat.substring(procPidStat.lastIndexOf(')') + 2).split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long[] read() {
        try {
            String stat = Files.readAllLines(Path.of("/proc/stat")).get(0);
            long[] machine = machineJiffies(stat);
            long self = processJiffies(Files.readString(Path.of("/proc/self/stat")));
            return new long[] {machine[0], machine[1], self};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
