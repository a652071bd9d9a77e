package dev.bertstream.jobs.inference;

import dev.bertstream.events.TracedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** A batch handed to the model and not yet emitted; touched on the task's mailbox thread only. */
final class InFlightBatch {

    /** One event of the batch, with its key and when it reached the operator. */
    record Entry(String key, TracedEvent event, long arrivedAt) {}

    final long id;

    /** The model the batch goes to; every entry was routed to it. */
    final ModelRoute route;

    final List<Entry> entries;
    final long submittedAt;
    BatchRunner.Run run;
    ScheduledFuture<?> timeoutTimer;
    BatchRunner.Outcomes outcomes;
    boolean abandoned;

    InFlightBatch(long id, ModelRoute route, List<Entry> entries, long submittedAt) {
        this.id = id;
        this.route = route;
        this.entries = entries;
        this.submittedAt = submittedAt;
    }

    List<String> texts() {
        List<String> texts = new ArrayList<>(entries.size());
        entries.forEach(e -> texts.add(e.event().getEvent().getText()));
        return texts;
    }
}
