package dev.bertstream.models.bundle;

import dev.bertstream.models.graph.GraphVariables;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.SignatureNames;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.FusedQkv;
import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.annotation.PublicEvolving;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A loaded, verified model bundle: the manifest, the TensorFlow session of its SavedModel, and the
 * names of the signature's tensors. One instance is safe to share among threads (TensorFlow
 * sessions are).
 *
 * <pre>{@code
 * try (ModelBundle bundle = ModelBundle.load(Path.of("bundles/default"), SessionSettings.defaults())) {
 *     ...
 * }
 * }</pre>
 */
@PublicEvolving
public final class ModelBundle implements AutoCloseable {

    /** File name of the manifest at the bundle root. */
    public static final String MANIFEST = "bundle.json";

    /** The SavedModel tag every bundle is exported with. */
    public static final String SERVE_TAG = "serve";

    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);

    static final ObjectMapper MAPPER =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final BundleManifest manifest;
    private final String manifestSha256;
    private final SavedModelBundle savedModel;
    private final Map<String, String> tensorNames;

    private ModelBundle(
            Path dir,
            BundleManifest manifest,
            String manifestSha256,
            SavedModelBundle savedModel,
            Map<String, String> tensorNames) {
        this.dir = dir;
        this.manifest = manifest;
        this.manifestSha256 = manifestSha256;
        this.savedModel = savedModel;
        this.tensorNames = tensorNames;
    }

    /**
     * Verifies the bundle (paths confined to it, no unlisted file, every file's checksum), then
     * loads the SavedModel; {@link #load(Path, SessionSettings, BundleTrust)} with no digest pinned
     * and no signature required.
     *
     * @throws InvalidBundleException naming the file when the bundle is missing, incomplete or
     *     modified
     */
    public static ModelBundle load(Path dir, SessionSettings settings) {
        return load(dir, settings, BundleTrust.none());
    }

    /**
     * Reads {@code bundle.json} once and checks its bytes against {@code trust} (pinned sha256,
     * Ed25519 signature), then every path in it, that the bundle holds no file it does not list,
     * and every file's sha256, and only then loads the SavedModel: loading runs the model's graph,
     * so nothing unverified may reach TensorFlow.
     *
     * @throws InvalidBundleException naming the file when the bundle is missing, incomplete,
     *     modified, has an unlisted file or a path outside it, or does not match {@code trust}
     */
    public static ModelBundle load(Path dir, SessionSettings settings, BundleTrust trust) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(trust, "trust");
        long start = System.nanoTime();
        Path real = realDirectory(dir);
        byte[] manifestBytes = manifestBytes(real);
        BundleManifest manifest = verified(real, manifestBytes, trust);
        String sha256 = BundleVerifier.sha256(manifestBytes);
        Path savedModelDir = real.resolve(manifest.savedModel());
        if (manifest.precisionKind() == Precision.INT8 && !OneDnnSupport.enabled()) {
            throw new InvalidBundleException(
                    "Bundle "
                            + real
                            + " is int8: TensorFlow has int8 matmul kernels only with oneDNN,"
                            + " which is off in this process ("
                            + OneDnnSupport.describe()
                            + "). Start the JVM with "
                            + OneDnnSupport.ENV
                            + "=1, or use the float32 bundle.");
        }
        SavedModelBundle savedModel;
        try {
            savedModel =
                    SavedModelBundle.loader(savedModelDir.toString())
                            .withTags(SERVE_TAG)
                            .withConfigProto(settings.toConfigProto())
                            .load();
        } catch (RuntimeException e) {
            throw new InvalidBundleException(
                    "TensorFlow cannot load the SavedModel in "
                            + savedModelDir
                            + ": "
                            + e.getMessage(),
                    e);
        }
        ModelBundle bundle;
        try {
            bundle =
                    new ModelBundle(
                            real,
                            manifest,
                            sha256,
                            savedModel,
                            tensorNames(savedModel, manifest, savedModelDir));
        } catch (RuntimeException e) {
            savedModel.close();
            throw e;
        }
        LOG.info(
                "Loaded model bundle {} version {} from {} (bundle.json sha256 {}, {}) in {} s",
                manifest.name(),
                manifest.version(),
                real,
                sha256,
                trust.describe(),
                seconds(System.nanoTime() - start));
        return bundle;
    }

    /** Nanoseconds as seconds with two decimals, for log lines. */
    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / (double) TimeUnit.SECONDS.toNanos(1));
    }

    /**
     * Everything {@link #load(Path, SessionSettings, BundleTrust)} checks, without loading the
     * model; returns the verified manifest.
     */
    public static BundleManifest verify(Path dir, BundleTrust trust) {
        Path real = realDirectory(dir);
        return verified(real, manifestBytes(real), trust);
    }

    /** Checks {@code bytes}, read once from {@code real}'s bundle.json, then every file. */
    private static BundleManifest verified(Path real, byte[] bytes, BundleTrust trust) {
        BundleVerifier.verifyTrust(real, bytes, trust);
        BundleManifest manifest = parseManifest(real.resolve(MANIFEST), bytes);
        BundleVerifier.verifyContents(real, manifest);
        return manifest;
    }

    /** The sha256 (hex) of {@code bundle.json}'s bytes: the value to pin a bundle by. */
    public static String manifestSha256(Path dir) {
        return BundleVerifier.sha256(manifestBytes(realDirectory(dir)));
    }

    /** Reads {@code bundle.json} without loading the model (for {@code models info}). */
    public static BundleManifest readManifest(Path dir) {
        return parseManifest(dir.resolve(MANIFEST), manifestBytes(dir));
    }

    private static Path realDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidBundleException("Model bundle directory " + dir + " does not exist");
        }
        try {
            // Checks walk the directory without following links; resolve a linked bundle itself.
            return dir.toRealPath();
        } catch (IOException e) {
            throw new InvalidBundleException("Cannot resolve bundle directory " + dir, e);
        }
    }

    private static byte[] manifestBytes(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new InvalidBundleException("Model bundle directory " + dir + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidBundleException(
                    dir + " is not a model bundle: " + MANIFEST + " is missing");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidBundleException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static BundleManifest parseManifest(Path file, byte[] bytes) {
        BundleManifest manifest;
        try {
            manifest = MAPPER.readValue(bytes, BundleManifest.class);
        } catch (IOException | RuntimeException e) {
            throw new InvalidBundleException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (manifest.format() != BundleManifest.CURRENT_FORMAT) {
            throw new InvalidBundleException(
                    file
                            + " has format "
                            + manifest.format()
                            + "; this version reads format "
                            + BundleManifest.CURRENT_FORMAT);
        }
        requireField(file, "name", manifest.name());
        requireField(file, "version", manifest.version());
        requireField(file, "tokenizer", manifest.tokenizer());
        requireField(file, "saved_model", manifest.savedModel());
        requireField(file, "encoder", manifest.encoder());
        Pooling.parse(manifest.pooling());
        try {
            manifest.truncationStrategy();
        } catch (IllegalArgumentException e) {
            // Serving must truncate as training did: refuse rather than guess.
            throw new InvalidBundleException(file + ": " + e.getMessage(), e);
        }
        return manifest;
    }

    /**
     * Checks the files of the bundle against {@code manifest}, as {@link #load} does, without
     * loading the model (for {@code models info}): every path confined to the bundle, no file it
     * does not list, every listed file present with its sha256.
     *
     * @throws InvalidBundleException naming the first file that is missing, modified, unlisted or
     *     outside the bundle
     */
    public static void verifyFiles(Path dir, BundleManifest manifest) {
        BundleVerifier.verifyContents(realDirectory(dir), manifest);
    }

    /**
     * Checks {@code bundle.json}'s bytes against the pinned digest and signature of {@code trust}
     * (for {@code models info}).
     */
    public static void verifyTrust(Path dir, BundleTrust trust) {
        Path real = realDirectory(dir);
        BundleVerifier.verifyTrust(real, manifestBytes(real), trust);
    }

    private static void requireField(Path file, String field, Object value) {
        if (value == null) {
            throw new InvalidBundleException(file + " lacks the required field '" + field + "'");
        }
    }

    private static Map<String, String> tensorNames(
            SavedModelBundle savedModel, BundleManifest manifest, Path dir) {
        Signature sig =
                savedModel.signatures().stream()
                        .filter(s -> s.key().equals(Signature.DEFAULT_KEY))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new InvalidBundleException(
                                                "SavedModel in "
                                                        + dir
                                                        + " has no '"
                                                        + Signature.DEFAULT_KEY
                                                        + "' signature"));
        Map<String, String> names = new HashMap<>();
        sig.getInputs().forEach((k, v) -> names.put(k, v.name));
        sig.getOutputs().forEach((k, v) -> names.put(k, v.name));
        for (String required :
                new String[] {
                    SignatureNames.INPUT_IDS,
                    SignatureNames.ATTENTION_MASK,
                    SignatureNames.TOKEN_TYPE_IDS,
                    SignatureNames.EMBEDDING
                }) {
            if (!names.containsKey(required)) {
                throw new InvalidBundleException(
                        "SavedModel in " + dir + " lacks signature tensor '" + required + "'");
            }
        }
        for (BundleManifest.Task t : manifest.tasks()) {
            if (!names.containsKey(SignatureNames.probabilities(t.name()))) {
                throw new InvalidBundleException(
                        "SavedModel in " + dir + " has no output for task '" + t.name() + "'");
            }
        }
        return names;
    }

    public Path directory() {
        return dir;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The sha256 (hex) of the {@code bundle.json} this bundle was verified and loaded from. */
    public String manifestDigest() {
        return manifestSha256;
    }

    /** The tokenizer file of this bundle. */
    public Path tokenizerFile() {
        return dir.resolve(manifest.tokenizer());
    }

    /** The session to run; shared, thread-safe. */
    public Session session() {
        return savedModel.session();
    }

    /** The graph tensor name ({@code op:index}) of a signature input or output. */
    public String tensorName(String signatureKey) {
        String name = tensorNames.get(signatureKey);
        if (name == null) {
            throw new IllegalArgumentException(
                    "Bundle "
                            + manifest.name()
                            + " has no signature tensor '"
                            + signatureKey
                            + "'");
        }
        return name;
    }

    /**
     * Reads the encoder's weights back out of the session under their canonical names, so heads can
     * be retrained on this encoder and written into a new bundle. Packed query/key/value kernels of
     * fused bundles are cut apart again ({@link FusedQkv}); older bundles hold the canonical
     * tensors themselves.
     */
    public BertWeights encoderWeights() {
        if (manifest.precisionKind() != Precision.FLOAT32) {
            throw new IllegalStateException(
                    "Bundle "
                            + manifest.name()
                            + " is "
                            + manifest.precisionKind().id()
                            + ": train on its float32 source bundle");
        }
        BertConfig config = manifest.encoder().config();
        Map<String, WeightTensor> packed = new HashMap<>();
        if (!config.isModernBert()) {
            for (int i = 0; i < config.numLayers(); i++) {
                if (savedModel.graph().operation(FusedQkv.kernelName(i)) != null) {
                    packed.putAll(
                            FusedQkv.unpack(
                                    i,
                                    GraphVariables.fetch(session(), FusedQkv.kernelName(i)),
                                    GraphVariables.fetch(session(), FusedQkv.biasName(i))));
                }
            }
        }
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        for (String name : BertWeights.canonicalNames(config)) {
            WeightTensor unpacked = packed.get(name);
            tensors.put(name, unpacked != null ? unpacked : GraphVariables.fetch(session(), name));
        }
        return new BertWeights(config, tensors);
    }

    /**
     * Reads the linear task heads back out of the session, in manifest order, so the bundle can be
     * rewritten around them (e.g. at another precision).
     *
     * @throws IllegalStateException for a head with a hidden layer (imported classifiers), whose
     *     activation the manifest does not record
     */
    public List<TaskHead> taskHeads() {
        List<TaskHead> heads = new ArrayList<>();
        for (BundleManifest.Task t : manifest.tasks()) {
            TaskHead names =
                    new TaskHead(
                            t.name(),
                            t.labels(),
                            new WeightTensor(
                                    new long[] {1, t.labels().size()},
                                    new float[t.labels().size()]),
                            new WeightTensor(
                                    new long[] {t.labels().size()}, new float[t.labels().size()]));
            if (savedModel.graph().operation(names.hiddenKernelName()) != null) {
                throw new IllegalStateException(
                        "Task '"
                                + t.name()
                                + "' has a hidden head layer; only linear heads can be read back");
            }
            heads.add(
                    new TaskHead(
                            t.name(),
                            t.labels(),
                            GraphVariables.fetch(session(), names.kernelName()),
                            GraphVariables.fetch(session(), names.biasName()),
                            t.headActivation()));
        }
        return heads;
    }

    @Override
    public void close() {
        savedModel.close();
    }
}
