package dev.bertstream.models.testutils;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.weights.BertConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The real pretrained MiniLM encoder (from Maven Central, cached under {@code target/pretrained})
 * for tests, and small random-weight bundles built with its tokenizer.
 */
public final class TestEncoders {

    private TestEncoders() {}

    /** all-MiniLM-L6-v2 imported from its ONNX file. */
    public static ImportedEncoder minilm() throws IOException {
        PretrainedEncoder.Extracted files =
                PretrainedEncoder.MINILM_L6.resolve(Path.of("target", "pretrained"));
        return OnnxBertImporter.importFile(files.onnx(), files.tokenizerJson(), "test");
    }

    /** An encoder-only MiniLM bundle written to {@code dir}, cut at {@code maxSeqLength} tokens. */
    public static Path minilmBundle(Path dir, int maxSeqLength) throws IOException {
        ImportedEncoder enc = minilm();
        BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                .maxSeqLength(maxSeqLength)
                .write(dir);
        return dir;
    }

    /**
     * A bundle named {@code tiny} version 1: the tiny random encoder (weights from {@code seed}),
     * MiniLM's tokenizer, one toxicity head, 32 tokens.
     */
    public static Path tinyToxicityBundle(Path dir, long seed) throws IOException {
        return tinyToxicityBundle(dir, seed, RandomBertWeights.tinyConfig().numLayers());
    }

    /** As {@link #tinyToxicityBundle(Path, long)}, with {@code layers} encoder layers. */
    public static Path tinyToxicityBundle(Path dir, long seed, int layers) throws IOException {
        BertConfig c = RandomBertWeights.tinyConfig();
        BertConfig config =
                new BertConfig(
                        c.vocabSize(),
                        c.hiddenSize(),
                        layers,
                        c.numHeads(),
                        c.intermediateSize(),
                        c.maxPositions(),
                        c.typeVocabSize(),
                        c.layerNormEps());
        BundleWriter.builder(RandomBertWeights.create(config, seed), tinyTokenizer())
                .name("tiny")
                .version("1")
                .maxSeqLength(32)
                .heads(
                        List.of(
                                RandomBertWeights.head(
                                        "toxicity",
                                        List.of("not_toxic", "toxic"),
                                        RandomBertWeights.tinyConfig().hiddenSize(),
                                        1)))
                .write(dir);
        return dir;
    }

    /** The tokenizer of the tiny bundles (MiniLM's). */
    public static Path tinyTokenizer() throws IOException {
        return PretrainedEncoder.MINILM_L6.resolve(Path.of("target", "pretrained")).tokenizerJson();
    }
}
