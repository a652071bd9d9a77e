package dev.bertstream.models.inference;

import java.util.List;

/** Predictions in input order, with what computing them cost. */
public record BatchResult(List<Prediction> predictions, BatchStats stats) {}
