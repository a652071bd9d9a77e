/**
 * Knowledge distillation: a smaller student encoder, started from every k-th layer of a teacher
 * bundle, trained on the teacher's soft targets and hidden states over unlabeled text, and gated on
 * its agreement with the teacher before it is written as a servable bundle.
 */
package dev.bertstream.models.training.distill;
