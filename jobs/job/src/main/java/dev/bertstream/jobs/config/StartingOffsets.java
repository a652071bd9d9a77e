package dev.bertstream.jobs.config;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Where the job starts reading its input topic when no checkpoint or savepoint is restored ({@link
 * JobOptions#STARTING_OFFSETS}). The option is written as the lower-case names ({@code earliest},
 * {@code latest}, {@code committed-or-earliest}); Flink matches them case-insensitively against
 * {@link #toString()}.
 */
@PublicEvolving
public enum StartingOffsets {
    /** From the earliest offset of every partition. */
    EARLIEST("earliest"),
    /** From the end of every partition: only records produced after the start. */
    LATEST("latest"),
    /** From the consumer group's committed offsets; partitions without one from the earliest. */
    COMMITTED_OR_EARLIEST("committed-or-earliest");

    private final String value;

    StartingOffsets(String value) {
        this.value = value;
    }

    /** The value as written in the job configuration, e.g. {@code committed-or-earliest}. */
    @Override
    public String toString() {
        return value;
    }
}
