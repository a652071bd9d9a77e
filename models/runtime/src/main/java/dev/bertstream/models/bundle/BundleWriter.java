package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.BertGraphBuilder;
import dev.bertstream.models.graph.EncoderGraph;
import dev.bertstream.models.graph.GraphVariables;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.tokenizer.Truncation;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.Int8Kernel;

import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes a model bundle: a TensorFlow SavedModel of encoder + heads, the tokenizer, and {@code
 * bundle.json} with the sha256 of every file.
 *
 * <p>The bundle is assembled in a sibling temporary directory and moved into place at the end, so a
 * crash never leaves a half-written bundle that looks complete.
 *
 * <pre>{@code
 * BundleWriter.builder(weights, tokenizerJson)
 *     .name("chat-classifier").version("3").pooling(Pooling.MEAN)
 *     .truncation(Truncation.HEAD_TAIL).heads(heads)
 *     .write(Path.of("bundles/chat-classifier"));
 * }</pre>
 */
@PublicEvolving
public final class BundleWriter {

    static final String SAVED_MODEL_DIR = "saved_model";
    static final String TOKENIZER_FILE = "tokenizer.json";

    private final BertWeights weights;
    private final Path tokenizerJson;
    private String name = "bert";
    private String version = "1";
    private String source = "unknown";
    private Activation activation = Activation.GELU;
    private Pooling pooling = Pooling.MEAN;
    private int maxSeqLength = 128;
    private Truncation truncation = Truncation.RIGHT;
    private List<TaskHead> heads = List.of();
    private List<BundleManifest.Task> taskSettings = List.of();
    private boolean fusedGraph = true;
    private boolean fusedLayerNorm = OneDnnSupport.enabled();
    private Precision precision = Precision.FLOAT32;
    private int int8Levels = Int8Kernel.DEFAULT_LEVELS;
    private List<String> float32Layers = List.of();
    private DistillationInfo distillation;

    private BundleWriter(BertWeights weights, Path tokenizerJson) {
        this.weights = Objects.requireNonNull(weights, "weights");
        this.tokenizerJson = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    }

    /** Starts a bundle of this encoder, tokenized by this Hugging Face {@code tokenizer.json}. */
    public static BundleWriter builder(BertWeights weights, Path tokenizerJson) {
        return new BundleWriter(weights, tokenizerJson);
    }

    public BundleWriter name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    public BundleWriter version(String version) {
        this.version = Objects.requireNonNull(version);
        return this;
    }

    /** Free-text provenance of the encoder weights, recorded in the manifest. */
    public BundleWriter source(String source) {
        this.source = Objects.requireNonNull(source);
        return this;
    }

    public BundleWriter activation(Activation activation) {
        this.activation = Objects.requireNonNull(activation);
        return this;
    }

    public BundleWriter pooling(Pooling pooling) {
        this.pooling = Objects.requireNonNull(pooling);
        return this;
    }

    public BundleWriter maxSeqLength(int maxSeqLength) {
        this.maxSeqLength = maxSeqLength;
        return this;
    }

    /** Which tokens of a longer text the bundle's tokenizer keeps (default right). */
    public BundleWriter truncation(Truncation truncation) {
        this.truncation = Objects.requireNonNull(truncation);
        return this;
    }

    /**
     * Classification heads; {@code settings} may add abstain thresholds (softmax heads) or
     * per-label thresholds (sigmoid heads) per task (same order, or empty).
     */
    public BundleWriter heads(List<TaskHead> heads, List<BundleManifest.Task> settings) {
        this.heads = List.copyOf(heads);
        this.taskSettings = List.copyOf(settings);
        return this;
    }

    public BundleWriter heads(List<TaskHead> heads) {
        return heads(heads, List.of());
    }

    /**
     * Writes the encoder in the forms TensorFlow fuses into single kernels (default on; see {@link
     * BertGraphBuilder#fused}). Off writes the graph bundles had before, for comparisons; both load
     * and predict alike.
     */
    public BundleWriter fusedGraph(boolean on) {
        this.fusedGraph = on;
        return this;
    }

    /**
     * LayerNorm in the form oneDNN fuses (see {@link BertGraphBuilder#fusedLayerNorm}); default:
     * whether TensorFlow runs oneDNN in this process ({@link OneDnnSupport#enabled()}), so a bundle
     * is written for the kind of machine that writes it.
     */
    public BundleWriter fusedLayerNorm(boolean on) {
        this.fusedLayerNorm = on;
        return this;
    }

    /**
     * The encoder's precision (default float32). {@link Precision#INT8} stores the dense layers'
     * kernels as int8 per output column (see {@link BertGraphBuilder#int8}); such a bundle loads
     * only where TensorFlow uses oneDNN. Write it through {@code models quantize}, which checks its
     * accuracy first.
     */
    public BundleWriter precision(Precision precision) {
        this.precision = Objects.requireNonNull(precision);
        return this;
    }

    /**
     * Int8 levels each side of zero (default {@link Int8Kernel#DEFAULT_LEVELS}); fewer coarsen the
     * weights, which tests use to build a bundle the accuracy gate must refuse.
     */
    public BundleWriter int8Levels(int levels) {
        if (levels < 1 || levels > 127) {
            throw new IllegalArgumentException("int8 levels must be in [1, 127], got " + levels);
        }
        this.int8Levels = levels;
        return this;
    }

    /**
     * Dense layers an int8 bundle keeps float32 (see {@link BertGraphBuilder#float32Layers});
     * default none.
     */
    public BundleWriter float32Layers(List<String> layers) {
        this.float32Layers = List.copyOf(layers);
        return this;
    }

    /**
     * Records {@code gate} in the bundle.json of the bundle at {@code dir} (its files are
     * unchanged, so their checksums stay valid; a signature over the old bundle.json does not).
     */
    public static BundleManifest recordPrecisionGate(Path dir, PrecisionGate gate)
            throws IOException {
        BundleManifest manifest = ModelBundle.readManifest(dir).withPrecisionGate(gate);
        ModelBundle.MAPPER
                .writer()
                .with(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(ModelBundle.MANIFEST).toFile(), manifest);
        return manifest;
    }

    /** Records how a distilled student was made and its accuracy gate (default: none). */
    public BundleWriter distillation(DistillationInfo distillation) {
        this.distillation = distillation;
        return this;
    }

    private void sanityCheck() {
        if (precision == Precision.INT8 && weights.config().isModernBert()) {
            throw new IllegalArgumentException("int8 bundles need a BERT-family encoder");
        }
        int maxPositions = weights.config().maxSequenceLength();
        if (maxSeqLength < 2 || maxSeqLength > maxPositions) {
            throw new IllegalArgumentException(
                    "max sequence length must be between 2 and the encoder's "
                            + "max_position_embeddings ("
                            + maxPositions
                            + "), got "
                            + maxSeqLength);
        }
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException(
                    "Tokenizer file " + tokenizerJson + " does not exist");
        }
        if (!taskSettings.isEmpty() && taskSettings.size() != heads.size()) {
            throw new IllegalArgumentException(
                    "Got " + taskSettings.size() + " task settings for " + heads.size() + " heads");
        }
        for (TaskHead h : heads) {
            if (h.inputSize() != weights.config().hiddenSize()) {
                throw new IllegalArgumentException(
                        "Task '"
                                + h.name()
                                + "' kernel "
                                + h.kernel()
                                + " does not match hidden size "
                                + weights.config().hiddenSize());
            }
        }
        for (int i = 0; i < taskSettings.size(); i++) {
            TaskHead h = heads.get(i);
            if (taskSettings.get(i).thresholds() != null
                    && h.activation() != HeadActivation.SIGMOID) {
                throw new IllegalArgumentException(
                        "Task '" + h.name() + "' has per-label thresholds but a softmax head");
            }
        }
    }

    /**
     * Writes the bundle to {@code target}, replacing an existing bundle there, and returns its
     * manifest.
     */
    public BundleManifest write(Path target) throws IOException {
        sanityCheck();
        Path absolute = target.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        Path staging =
                Files.createTempDirectory(
                        absolute.getParent(), "." + absolute.getFileName() + ".staging-");
        try {
            exportSavedModel(staging.resolve(SAVED_MODEL_DIR));
            Files.copy(tokenizerJson, staging.resolve(TOKENIZER_FILE));
            BundleManifest manifest = manifest().withFiles(BundleChecksums.compute(staging));
            ModelBundle.MAPPER
                    .writer()
                    .with(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(staging.resolve(ModelBundle.MANIFEST).toFile(), manifest);
            deleteRecursively(absolute);
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } finally {
            deleteRecursively(staging);
        }
    }

    private BundleManifest manifest() {
        List<BundleManifest.Task> tasks = new ArrayList<>();
        for (int i = 0; i < heads.size(); i++) {
            TaskHead h = heads.get(i);
            BundleManifest.Task s = taskSettings.isEmpty() ? null : taskSettings.get(i);
            tasks.add(
                    new BundleManifest.Task(
                            h.name(),
                            h.labels(),
                            s == null ? null : s.abstainLabel(),
                            s == null ? null : s.abstainThreshold(),
                            h.activation().id(),
                            s == null ? null : s.thresholds()));
        }
        return BundleManifest.builder()
                .name(name)
                .version(version)
                .encoder(new BundleManifest.Encoder(source, weights.config(), activation.id()))
                .maxSeqLength(maxSeqLength)
                .pooling(pooling.id())
                .truncation(truncation.id())
                .tasks(tasks)
                .tokenizer(TOKENIZER_FILE)
                .savedModel(SAVED_MODEL_DIR)
                .precision(precision == Precision.FLOAT32 ? null : precision.id())
                .distillation(distillation)
                .build();
    }

    private void exportSavedModel(Path dir) throws IOException {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            GraphVariables variables = new GraphVariables(tf);
            EncoderGraph g =
                    BertGraphBuilder.builder(tf, variables, weights)
                            .activation(activation)
                            .pooling(pooling)
                            .heads(heads)
                            .fused(fusedGraph)
                            .fusedLayerNorm(fusedLayerNorm)
                            .int8(precision == Precision.INT8 ? int8Levels : 0)
                            .float32Layers(precision == Precision.INT8 ? float32Layers : List.of())
                            .build();
            Signature.Builder sig =
                    Signature.builder(Signature.DEFAULT_KEY)
                            .input(SignatureNames.INPUT_IDS, g.inputIds())
                            .input(SignatureNames.ATTENTION_MASK, g.attentionMask())
                            .input(SignatureNames.TOKEN_TYPE_IDS, g.tokenTypeIds())
                            .output(SignatureNames.LAST_HIDDEN_STATE, g.lastHiddenState())
                            .output(SignatureNames.EMBEDDING, g.embedding());
            for (TaskHead h : heads) {
                sig.output(SignatureNames.probabilities(h.name()), g.probabilities().get(h.name()));
                sig.output(SignatureNames.logits(h.name()), g.logits().get(h.name()));
            }
            try (Session session = new Session(graph)) {
                variables.assignAll(session);
                SavedModelBundle.exporter(dir.toString())
                        .withTags(ModelBundle.SERVE_TAG)
                        .withSession(session)
                        .withSignature(sig.build())
                        .export();
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
