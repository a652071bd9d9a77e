package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.DistillationInfo;

import org.apache.flink.annotation.Internal;

/** A distilled student failed its accuracy gate against the teacher and was not written. */
@Internal
public final class GateFailedException extends RuntimeException {

    private final transient DistillationInfo.Gate gate;

    public GateFailedException(DistillationInfo.Gate gate) {
        super(
                "The student failed the accuracy gate against its teacher and was not written"
                        + " (rerun with --force to write it marked failed-gate for experiments):\n"
                        + DistillationGate.summary(gate));
        this.gate = gate;
    }

    /** The measurements that failed. */
    public DistillationInfo.Gate gate() {
        return gate;
    }
}
