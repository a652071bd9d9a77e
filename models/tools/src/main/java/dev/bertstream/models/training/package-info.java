/**
 * Trains task heads on a frozen encoder and writes bundles: {@link
 * dev.bertstream.models.training.DefaultBundle} builds the default bundles (English and Chinese)
 * the demo and the Docker image ship (public for the application); the trainers, dataset readers,
 * metrics and calibration are {@code @Internal}, used by the models CLI and the fine-tuner.
 */
package dev.bertstream.models.training;
