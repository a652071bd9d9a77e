/**
 * Continued pre-training of an encoder with BERT's masked language model: {@link
 * dev.bertstream.models.training.pretrain.MaskedLmPretrainer} with {@link
 * dev.bertstream.models.training.pretrain.PretrainOptions}, both {@code @Internal} for the models
 * CLI ({@code models pretrain}); masking, the training graph and batches are package-private.
 */
package dev.bertstream.models.training.pretrain;
