package dev.bertstream.jobs.inference;

import dev.bertstream.events.ModelRollout;

import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The roll-out a {@link HotSwapInferenceOperator} serves, in broadcast state: every subtask holds
 * the same entry, and a restore at any parallelism reads it back, so the job resumes with the
 * version that was active at the checkpoint, not the configured one.
 */
final class ActiveRolloutState {

    static final String STATE_NAME = "active-model-rollout";
    private static final String DEFAULT_MODEL = "default";

    static final MapStateDescriptor<String, ModelRollout> DESCRIPTOR =
            new MapStateDescriptor<>(
                    STATE_NAME, Types.STRING, new AvroTypeInfo<>(ModelRollout.class));

    private final BroadcastState<String, ModelRollout> state;

    private ActiveRolloutState(BroadcastState<String, ModelRollout> state) {
        this.state = state;
    }

    static ActiveRolloutState of(OperatorStateStore store) throws Exception {
        return new ActiveRolloutState(store.getBroadcastState(DESCRIPTOR));
    }

    /** The default model's roll-out, or null while the configured model serves. */
    ModelRollout get() throws Exception {
        return state.get(DEFAULT_MODEL);
    }

    void set(ModelRollout rollout) throws Exception {
        state.put(DEFAULT_MODEL, rollout);
    }
}
