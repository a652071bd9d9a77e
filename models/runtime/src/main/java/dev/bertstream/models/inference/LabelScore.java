package dev.bertstream.models.inference;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A label a head assigned to a text, with its score.
 *
 * @param label the label
 * @param score its probability (softmax) or independent score (sigmoid), in [0, 1]
 */
@PublicEvolving
public record LabelScore(String label, float score) {}
