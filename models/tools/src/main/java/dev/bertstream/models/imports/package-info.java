/**
 * Imports pretrained encoders into {@link dev.bertstream.models.weights.BertWeights}: {@link
 * dev.bertstream.models.imports.PretrainedEncoder} names the ones resolved by Maven, {@link
 * dev.bertstream.models.imports.OnnxBertImporter} reads ONNX exports and the Hugging Face
 * checkpoint reader stays package-private behind {@code EncoderSource} ({@code @Internal}, for the
 * CLI); an import yields an {@link dev.bertstream.models.imports.ImportedEncoder}.
 */
package dev.bertstream.models.imports;
