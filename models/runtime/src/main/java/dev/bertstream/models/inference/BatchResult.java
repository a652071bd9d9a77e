package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/** Predictions in input order, with what computing them cost. */
@PublicEvolving
public record BatchResult(List<Prediction> predictions, BatchStats stats) {}
