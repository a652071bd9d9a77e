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
    EXACTLY_ONCE("exactly-once", DeliveryGuarantee.EXACTLY_ONCE, CheckpointingMode.EXACTLY_ONCE),
    /**
     * Idempotent producers without transactions: an output is visible as soon as it is written, and
     * after a failure the events since the last checkpoint are labeled again (duplicates with the
     * same event_id, never a loss).
     */
    AT_LEAST_ONCE(
            "at-least-once", DeliveryGuarantee.AT_LEAST_ONCE, CheckpointingMode.AT_LEAST_ONCE);

    private final String value;
    private final DeliveryGuarantee sinkGuarantee;
    private final CheckpointingMode checkpointingMode;

    DeliveryMode(
            String value, DeliveryGuarantee sinkGuarantee, CheckpointingMode checkpointingMode) {
        this.value = value;
        this.sinkGuarantee = sinkGuarantee;
        this.checkpointingMode = checkpointingMode;
    }

    /** The guarantee the Kafka sinks are built with. */
    public DeliveryGuarantee sinkGuarantee() {
        return sinkGuarantee;
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
