/**
 * The inference operator: keyed, ordered, batched classification of events with a model shared per
 * TaskManager. Users meet only {@link dev.bertstream.jobs.inference.InferenceFailurePolicy} (the
 * inference.on-failure option) and the failures {@link
 * dev.bertstream.jobs.inference.InferenceFailedException} and {@link
 * dev.bertstream.jobs.inference.InferenceStalledException}; the operator, its factory, settings and
 * model sharing are {@code @Internal}, wired by {@code dev.bertstream.jobs.pipeline}.
 */
package dev.bertstream.jobs.inference;
