package dev.bertstream.models.inference;

/**
 * A label a head assigned to a text, with its score.
 *
 * @param label the label
 * @param score its probability (softmax) or independent score (sigmoid), in [0, 1]
 */
public record LabelScore(String label, float score) {}
