/**
 * Encoder weights in memory: {@link dev.bertstream.models.weights.BertConfig} (the architecture),
 * {@link dev.bertstream.models.weights.BertWeights} (named tensors) and {@link
 * dev.bertstream.models.weights.WeightTensor}. Filled by the importers in models-tools and written
 * into bundles; the job never touches them directly.
 */
package dev.bertstream.models.weights;
