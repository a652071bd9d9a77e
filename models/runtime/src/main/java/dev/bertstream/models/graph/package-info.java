/**
 * Builds the TensorFlow graph of a BERT encoder and its task heads ({@link
 * dev.bertstream.models.graph.BertGraphBuilder}, {@link dev.bertstream.models.graph.TaskHead},
 * {@link dev.bertstream.models.graph.Pooling}, {@link dev.bertstream.models.graph.Activation}).
 * Public for the training code in models-tools; at inference time the graph comes out of a bundle,
 * and {@link dev.bertstream.models.graph.SignatureNames} ({@code @Internal}) ties the two together.
 */
package dev.bertstream.models.graph;
