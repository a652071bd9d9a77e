package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the workflow writes: every labeled event, the moderation subset, the intent-routed subset
 * (or {@code null} when intent routing is off), and dead letters. Kafka sinks in production,
 * collecting sinks in tests.
 */
@PublicEvolving
public record JobSinks(
        Sink<LabeledEvent> labeled,
        Sink<LabeledEvent> moderation,
        Sink<LabeledEvent> intents,
        Sink<DeadLetter> deadLetters) {}
