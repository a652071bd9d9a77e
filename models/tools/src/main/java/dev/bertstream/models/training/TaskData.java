package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;
import java.util.List;

/**
 * The data of one task: {@code --task NAME=TRAIN[,DEV]}.
 *
 * @param name task name, e.g. {@code intent}
 * @param train training file
 * @param dev dev file for early stopping and abstain calibration, or {@code null}
 */
@Internal
public record TaskData(String name, Path train, Path dev) {

    /** Parses {@code NAME=TRAIN[,DEV]}. */
    public static TaskData parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException(
                    "--task expects NAME=TRAIN[,DEV], got '" + spec + "'");
        }
        List<String> files = List.of(spec.substring(eq + 1).split(","));
        if (files.size() > 2) {
            throw new IllegalArgumentException(
                    "--task expects NAME=TRAIN[,DEV], got '" + spec + "'");
        }
        return new TaskData(
                spec.substring(0, eq),
                Path.of(files.get(0)),
                files.size() == 2 ? Path.of(files.get(1)) : null);
    }
}
