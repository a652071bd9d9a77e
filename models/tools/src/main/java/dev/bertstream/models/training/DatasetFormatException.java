package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;

import java.nio.file.Path;

/** A dataset file that cannot be used, with the file and (when known) the line that is wrong. */
@Internal
public class DatasetFormatException extends RuntimeException {

    public DatasetFormatException(Path file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
