package dev.bertstream.jobs.sql;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;

/**
 * The runtime side of a bert-stream model: asynchronous only, so the planner always runs {@code
 * ML_PREDICT} in Flink's async operator, whose checkpointed in-flight rows make a fail-over replay
 * them.
 */
@Internal
public final class BertStreamModelProvider implements AsyncPredictRuntimeProvider {

    private final BatchingPredictFunction function;

    BertStreamModelProvider(BatchingPredictFunction function) {
        this.function = function;
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(Context context) {
        return function;
    }

    @Override
    public ModelProvider copy() {
        return new BertStreamModelProvider(function);
    }

    /** The function the planner gets (tests). */
    BatchingPredictFunction function() {
        return function;
    }
}
