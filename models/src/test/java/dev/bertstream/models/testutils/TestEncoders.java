package dev.bertstream.models.testutils;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The real pretrained MiniLM encoder (from Maven Central, cached under {@code target/pretrained})
 * for tests.
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
}
