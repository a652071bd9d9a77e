package dev.bertstream.jobs.inference;

import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.batching.FlushReason;
import dev.bertstream.jobs.batching.TokenEstimator;

import org.apache.flink.metrics.Counter;

import java.util.LinkedHashMap;

/**
 * One model of a {@link BatchInferenceOperator} subtask and the micro-batch forming for it: the
 * lease on the shared model, its runner, and the events waiting for it (per key, in first-arrival
 * order). Touched on the task's mailbox thread only.
 */
final class ModelRoute {

    /** {@link LanguageRouter#DEFAULT} or a language tag. */
    final String name;

    final SharedModels.Lease model;
    final TokenEstimator tokens;
    final BatchRunner runner;

    /** Keys with events waiting for this model, in first-arrival order, with their counts. */
    final LinkedHashMap<String, Integer> waiting = new LinkedHashMap<>();

    /** Events this model labeled, for a language model; null for the default model. */
    Counter labeled;

    int waitingEvents;
    long waitingTokens;
    long deadline = Long.MAX_VALUE;
    boolean timerDue;

    ModelRoute(String name, SharedModels.Lease model, BatchRunner runner) {
        this.name = name;
        this.model = model;
        this.runner = runner;
        this.tokens = new TokenEstimator(model.manifest().maxSeqLength());
    }

    /** Counts one more waiting event of {@code key}. */
    void add(String key, String text) {
        waiting.merge(key, 1, Integer::sum);
        waitingEvents++;
        waitingTokens += tokens.estimate(text);
    }

    /** Why a batch of this model is due now, or null. */
    FlushReason dueReason(BatchingSettings batching) {
        if (waitingEvents >= batching.maxSize()) {
            return FlushReason.SIZE;
        }
        if (waitingTokens >= batching.maxTokens()) {
            return FlushReason.TOKENS;
        }
        return waitingEvents > 0 && timerDue ? FlushReason.TIMER : null;
    }

    /** For logs and metrics: "default" or "language zh". */
    String describe() {
        return name.equals(LanguageRouter.DEFAULT) ? "default" : "language " + name;
    }
}
