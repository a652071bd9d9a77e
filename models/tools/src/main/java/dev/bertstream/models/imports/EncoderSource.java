package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Pooling;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code models import --from} takes an encoder: a pretrained encoder from Maven Central, an
 * ONNX file, or a Hugging Face checkpoint directory.
 */
@Internal
public final class EncoderSource {

    private final PretrainedEncoder pretrained;
    private final Path path;

    private EncoderSource(PretrainedEncoder pretrained, Path path) {
        this.pretrained = pretrained;
        this.path = path;
    }

    /**
     * Parses a pretrained encoder's CLI name ({@code minilm-l6}, ...), a {@code .onnx} path or a
     * checkpoint directory.
     */
    public static EncoderSource parse(String from) {
        PretrainedEncoder p = PretrainedEncoder.byCliName(from);
        if (p != null) {
            return new EncoderSource(p, null);
        }
        Path path = Path.of(from);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(
                    "--from "
                            + from
                            + ": not a known encoder ("
                            + PretrainedEncoder.cliNames()
                            + ") "
                            + "and no such file or directory");
        }
        return new EncoderSource(null, path);
    }

    /** Human-readable description for progress messages. */
    public String description() {
        return pretrained != null ? pretrained.coordinates() : path.toString();
    }

    /** Pooling the encoder was trained with: the pretrained encoder's, mean for files. */
    public Pooling defaultPooling() {
        return pretrained != null ? pretrained.pooling() : Pooling.MEAN;
    }

    /** A model name derived from the source. */
    public String defaultName() {
        return pretrained != null
                ? pretrained.cliName()
                : path.getFileName().toString().replaceAll("\\.onnx$", "");
    }

    /** Reads the encoder; {@code cache} (may be null) is where pretrained files are extracted. */
    public ImportedEncoder load(Path cache) throws IOException {
        Path work =
                cache != null ? cache : PretrainedEncoder.cacheDirectory().resolve("pretrained");
        if (pretrained != null) {
            PretrainedEncoder.Extracted files = pretrained.resolve(work);
            return OnnxBertImporter.importFile(
                    files.onnx(), files.tokenizerJson(), pretrained.sourceDescription());
        }
        if (Files.isDirectory(path)) {
            return HfCheckpointImporter.importDirectory(path, work.resolve("checkpoint-tokenizer"));
        }
        Path tokenizer = path.resolveSibling("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new IOException(
                    "ONNX import needs a tokenizer.json beside "
                            + path
                            + "; none found at "
                            + tokenizer);
        }
        return OnnxBertImporter.importFile(path, tokenizer, "onnx:" + path.toAbsolutePath());
    }
}
