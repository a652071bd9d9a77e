/**
 * Batched classification with a loaded bundle: {@link
 * dev.bertstream.models.inference.BatchPredictor} is the entry point; it plans padded batches
 * ({@link dev.bertstream.models.inference.BatchPlanner}) and returns a {@link
 * dev.bertstream.models.inference.BatchResult} of {@link
 * dev.bertstream.models.inference.Prediction}s with per-task {@link
 * dev.bertstream.models.inference.TaskPrediction}s and {@link
 * dev.bertstream.models.inference.BatchStats}.
 */
package dev.bertstream.models.inference;
