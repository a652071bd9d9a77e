package dev.bertstream.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load averages, recorded next to every measurement (the benchmark machine is
 * shared).
 */
final class LoadAverage {

    private LoadAverage() {}

    /** {@code "1.23 0.98 0.75"} (1, 5 and 15 minutes), or {@code "?"} where /proc is missing. */
    static String now() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** The 1-minute load average, or NaN. */
    static double oneMinute() {
        try {
            return Double.parseDouble(now().split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
