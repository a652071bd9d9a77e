package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.imports.ImportedEncoder;
import dev.bertstream.models.imports.OnnxBertImporter;
import dev.bertstream.models.imports.PretrainedEncoder;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The default model bundles, one per language, each an encoder with sentiment, toxicity and intent
 * heads trained on the project's own seed data ({@code models/tools/data}, shipped in the jar):
 *
 * <ul>
 *   <li>English: all-MiniLM-L6-v2, at {@link #defaultLocation()};
 *   <li>Chinese: bge-small-zh-v1.5, at {@link #chineseLocation()}.
 * </ul>
 *
 * <p>Both have the same task names and labels (sentiment {@code negative/neutral/positive},
 * toxicity {@code not_toxic/toxic}, the support intents with abstain label {@code oos}), so a job
 * that routes events by language to either bundle labels them alike:
 *
 * <pre>{@code
 * Path en = DefaultBundle.ensure(DefaultBundle.defaultLocation(), System.err);
 * Path zh = DefaultBundle.ensureChinese(DefaultBundle.chineseLocation(), System.err);
 * }</pre>
 */
@PublicEvolving
public final class DefaultBundle {

    /** Tasks of every default bundle, each with seed {@code train.tsv} and {@code dev.tsv}. */
    public static final List<String> TASKS = List.of("sentiment", "toxicity", "intent");

    /** Version of the default bundles; bump when the seed data or recipe changes. */
    public static final String VERSION = "4";

    /** A default bundle's language: its encoder, seed data and location. */
    @PublicEvolving
    public enum Language {
        /** all-MiniLM-L6-v2, mean pooling, 128 tokens; seed data {@code models/tools/data}. */
        ENGLISH("en", PretrainedEncoder.MINILM_L6, 128, "", "default-v"),
        /**
         * bge-small-zh-v1.5, CLS pooling, 96 tokens (about 96 characters: chat lines and most
         * review sentences); seed data {@code models/tools/data/zh}.
         */
        CHINESE("zh", PretrainedEncoder.BGE_SMALL_ZH, 96, "zh/", "default-zh-v");

        private final String code;
        private final PretrainedEncoder encoder;
        private final int maxSeqLength;
        private final String seedPrefix;
        private final String dirPrefix;

        Language(
                String code,
                PretrainedEncoder encoder,
                int maxSeqLength,
                String seedPrefix,
                String dirPrefix) {
            this.code = code;
            this.encoder = encoder;
            this.maxSeqLength = maxSeqLength;
            this.seedPrefix = seedPrefix;
            this.dirPrefix = dirPrefix;
        }

        /** ISO 639-1 code, as in an event's {@code lang}: {@code en}, {@code zh}. */
        public String code() {
            return code;
        }

        /** The pretrained encoder the bundle is built on. */
        public PretrainedEncoder encoder() {
            return encoder;
        }

        /** Where this language's default bundle lives unless told otherwise. */
        public Path location() {
            return PretrainedEncoder.cacheDirectory()
                    .resolve("bundles")
                    .resolve(dirPrefix + VERSION);
        }

        /** The language with ISO code {@code code} ({@code en}, {@code zh}); fails on others. */
        public static Language ofCode(String code) {
            for (Language l : values()) {
                if (l.code.equals(code.toLowerCase(Locale.ROOT))) {
                    return l;
                }
            }
            throw new IllegalArgumentException(
                    "No default bundle for language '" + code + "'; there are en and zh");
        }
    }

    private DefaultBundle() {}

    /** Where the English default bundle lives unless told otherwise. */
    public static Path defaultLocation() {
        return Language.ENGLISH.location();
    }

    /** Where the Chinese default bundle lives unless told otherwise: a sibling of the English. */
    public static Path chineseLocation() {
        return Language.CHINESE.location();
    }

    /** Returns {@code dir} when it holds a valid bundle, else builds the English one there. */
    public static Path ensure(Path dir, PrintStream log) throws IOException {
        return ensure(Language.ENGLISH, dir, log);
    }

    /** Returns {@code dir} when it holds a valid bundle, else builds the Chinese one there. */
    public static Path ensureChinese(Path dir, PrintStream log) throws IOException {
        return ensure(Language.CHINESE, dir, log);
    }

    /** Returns {@code dir} when it holds a valid bundle, else builds {@code language}'s there. */
    public static Path ensure(Language language, Path dir, PrintStream log) throws IOException {
        if (Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST))) {
            try {
                ModelBundle.readManifest(dir);
                return dir;
            } catch (InvalidBundleException e) {
                log.println("Rebuilding the default bundle: " + e.getMessage());
            }
        }
        PretrainedEncoder encoder = language.encoder;
        if (dir.equals(language.location())) {
            PretrainedEncoder chosen = previousChoice(language, dir.getParent());
            if (chosen != null && chosen != encoder) {
                log.println(
                        "Building on "
                                + chosen.cliName()
                                + ", as the previous default bundle was (models build-default"
                                + " --en-encoder changes it)");
                encoder = chosen;
            }
        }
        build(language, encoder, dir, log);
        return dir;
    }

    /**
     * The encoder of the newest earlier version of {@code language}'s default bundle in {@code
     * bundles}, or {@code null}: what {@code build-default --en-encoder} chose there.
     */
    static PretrainedEncoder previousChoice(Language language, Path bundles) throws IOException {
        if (!Files.isDirectory(bundles)) {
            return null;
        }
        List<Path> earlier;
        try (Stream<Path> dirs = Files.list(bundles)) {
            earlier =
                    dirs.filter(d -> versionOf(language, d) > 0)
                            .sorted(
                                    Comparator.comparingInt((Path d) -> versionOf(language, d))
                                            .reversed())
                            .toList();
        }
        for (Path d : earlier) {
            try {
                return PretrainedEncoder.bySourceDescription(
                        ModelBundle.readManifest(d).encoder().source());
            } catch (InvalidBundleException e) {
                // A half-written or damaged earlier bundle says nothing; try the one before.
            }
        }
        return null;
    }

    /** The version in a default bundle directory's name (default-v4: 4), or 0. */
    private static int versionOf(Language language, Path dir) {
        String name = dir.getFileName().toString();
        String prefix = language.dirPrefix;
        if (!name.startsWith(prefix) || name.equals(prefix + VERSION)) {
            return 0;
        }
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Imports MiniLM and trains the three heads on the English seed data into {@code out}. */
    public static void build(Path out, PrintStream log) throws IOException {
        build(Language.ENGLISH, out, log);
    }

    /**
     * Imports the language's encoder and trains the three heads on its seed data into {@code out}.
     */
    public static void build(Language language, Path out, PrintStream log) throws IOException {
        build(language, language.encoder, out, log);
    }

    /**
     * Like {@link #build(Language, Path, PrintStream)} on another pretrained encoder of the same
     * language (e.g. bge-small-en for English: better heads, half the speed; docs/MODELS.md).
     */
    public static void build(
            Language language, PretrainedEncoder pretrained, Path out, PrintStream log)
            throws IOException {
        Path work = Files.createTempDirectory("bert-stream-default-");
        log.println(
                "Building the "
                        + language.name().toLowerCase(Locale.ROOT)
                        + " default model bundle ("
                        + pretrained.cliName()
                        + " + sentiment, toxicity, intent heads) ...");
        PretrainedEncoder.Extracted files =
                pretrained.resolve(PretrainedEncoder.cacheDirectory().resolve("pretrained"));
        ImportedEncoder enc =
                OnnxBertImporter.importFile(
                        files.onnx(), files.tokenizerJson(), pretrained.sourceDescription());
        Path encoder = work.resolve("encoder");
        BundleWriter.builder(enc.weights(), enc.tokenizerFile())
                .name(pretrained.cliName())
                // Names the encoder, so a rebuild for a newer VERSION keeps the user's choice.
                .source(pretrained.sourceDescription())
                .activation(Activation.GELU)
                .pooling(pretrained.pooling())
                .maxSeqLength(language.maxSeqLength)
                .write(encoder);
        FrozenHeadTrainer trainer =
                FrozenHeadTrainer.builder(encoder)
                        .name(
                                language == Language.ENGLISH
                                        ? "bert-stream-default"
                                        : "bert-stream-default-" + language.code)
                        .version(VERSION)
                        .log(log);
        for (String task : TASKS) {
            trainer.task(
                    new TaskData(
                            task,
                            seed(language, task, "train", work),
                            seed(language, task, "dev", work)));
        }
        trainer.train(out);
        log.println("Default bundle written to " + out);
    }

    /**
     * Class-path resource of a seed file, e.g. {@code
     * /dev/bertstream/models/seed/zh/toxicity/train.tsv}.
     */
    static String seedResource(Language language, String task, String split) {
        return "/dev/bertstream/models/seed/" + language.seedPrefix + task + "/" + split + ".tsv";
    }

    private static Path seed(Language language, String task, String split, Path work)
            throws IOException {
        String resource = seedResource(language, task, split);
        try (InputStream in = DefaultBundle.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("Seed data " + resource + " is missing from the models jar");
            }
            Path file = work.resolve(language.code + "-" + task + "-" + split + ".tsv");
            Files.copy(in, file);
            return file;
        }
    }
}
