/**
 * Fine-tunes the encoder together with its heads (AdamW, weighted cross-entropy): {@link
 * dev.bertstream.models.training.finetune.EncoderFineTuner} with {@link
 * dev.bertstream.models.training.finetune.FineTuneOptions}, both {@code @Internal} for the models
 * CLI; the rest is package-private.
 */
package dev.bertstream.models.training.finetune;
