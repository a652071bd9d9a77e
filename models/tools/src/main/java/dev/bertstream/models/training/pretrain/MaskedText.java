package dev.bertstream.models.training.pretrain;

/**
 * A text with some tokens hidden from the encoder.
 *
 * @param inputIds the token ids fed to the encoder, masked
 * @param typeIds segment ids
 * @param positions the token positions to predict
 * @param labels the original ids at {@code positions}
 */
record MaskedText(int[] inputIds, int[] typeIds, int[] positions, int[] labels) {}
