package dev.bertstream.jobs.inference;

import dev.bertstream.models.inference.Prediction;

import org.apache.flink.annotation.Internal;

/**
 * What inference made of one event: a prediction, or the error with which the event fails on its
 * own.
 */
@Internal
public record EventOutcome(Prediction prediction, Throwable failure) {

    static EventOutcome labeled(Prediction p) {
        return new EventOutcome(p, null);
    }

    static EventOutcome failed(Throwable error) {
        return new EventOutcome(null, error);
    }

    public boolean isLabeled() {
        return prediction != null;
    }
}
