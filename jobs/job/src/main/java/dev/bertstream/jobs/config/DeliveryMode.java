package dev.bertstream.jobs.config;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;

/**
 * How the job delivers its outputs ({@link JobOptions#DELIVERY}). Written as {@code exactly-once}
 * or {@code at-least-once}; Flink matches them case-insensitively against {@link #toString()}.
 */
@PublicEvolving
public enum DeliveryMode {
    /**
     * Transactional sinks committed at each checkpoint: no duplicates ever, but read_committed
     * consumers see an output only after the checkpoint that follows it.
     */
    EXACTLY_ONCE("exactly-once", CheckpointingMode.EXACTLY_ONCE),
    /**
     * Idempotent producers without transactions: an output is visible as soon as it is written, and
     * after a failure the events since the last checkpoint are labeled again (duplicates with the
     * same event_id, never a loss).
     */
    AT_LEAST_ONCE("at-least-once", CheckpointingMode.AT_LEAST_ONCE);

    private final String value;
    private final CheckpointingMode checkpointingMode;

    DeliveryMode(String value, CheckpointingMode checkpointingMode) {
        this.value = value;
        this.checkpointingMode = checkpointingMode;
    }

    /**
     * The guarantee the Kafka sinks are built with. Resolved here rather than held in a field: the
     * connector is not on the classpath of everything that reads the options (deploy's tests).
     */
    public DeliveryGuarantee sinkGuarantee() {
        return this == EXACTLY_ONCE
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
    }

    /**
     * The checkpointing mode: barriers are aligned only where outputs must be exactly once;
     * at-least-once never holds a channel back for a barrier (a replay may duplicate, which that
     * mode accepts anyway).
     */
    public CheckpointingMode checkpointingMode() {
        return checkpointingMode;
    }

    /** The value as written in the job configuration, e.g. {@code at-least-once}. */
    @Override
    public String toString() {
        return value;
    }
}
