package dev.bertstream.models.cli;

import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.training.DefaultBundle;
import dev.bertstream.models.training.DefaultBundle.Language;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code models build-default}: builds the default bundles (English and Chinese) the demo uses. */
@Command(
        name = "build-default",
        mixinStandardHelpOptions = true,
        description =
                "Build the default bundles: all-MiniLM-L6-v2 (English) and bge-small-zh-v1.5 (Chinese),"
                        + " each with sentiment, toxicity and intent heads trained on the project's seed"
                        + " data (models/tools/data, models/tools/data/zh).")
final class BuildDefaultCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "English bundle directory (default: the bert-stream cache).")
    Path out;

    @Option(
            names = "--zh-out",
            paramLabel = "DIR",
            description = "Chinese bundle directory (default: the bert-stream cache).")
    Path zhOut;

    @Option(
            names = "--only",
            paramLabel = "LANG",
            description = "Build one bundle only: en or zh (default: both).")
    String only;

    @Option(
            names = "--en-encoder",
            paramLabel = "NAME",
            description =
                    "Pretrained encoder of the English bundle: minilm-l6 (default: fastest) or"
                            + " bge-small-en (12 layers: better sentiment, about half the speed;"
                            + " docs/MODELS.md).")
    String enEncoder;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Language> languages;
        try {
            languages =
                    only == null
                            ? List.of(Language.ENGLISH, Language.CHINESE)
                            : List.of(Language.ofCode(only));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--only: " + e.getMessage());
        }
        if (!languages.contains(Language.ENGLISH) && out != null
                || !languages.contains(Language.CHINESE) && zhOut != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--out is the English bundle's directory and --zh-out the Chinese one's;"
                            + " --only "
                            + only
                            + " does not build the other");
        }
        PretrainedEncoder english = englishEncoder(languages);
        long total = System.nanoTime();
        int step = 0;
        for (Language language : languages) {
            step++;
            Path dir =
                    language == Language.ENGLISH
                            ? (out != null ? out : DefaultBundle.defaultLocation())
                            : (zhOut != null ? zhOut : DefaultBundle.chineseLocation());
            System.err.printf(
                    "[%d/%d] %s bundle -> %s%n",
                    step, languages.size(), language.name().toLowerCase(Locale.ROOT), dir);
            long start = System.nanoTime();
            DefaultBundle.build(
                    language,
                    language == Language.ENGLISH ? english : language.encoder(),
                    dir,
                    System.err);
            System.out.printf(
                    "Built the %s default bundle in %.1f s: %s%n",
                    language.name().toLowerCase(Locale.ROOT),
                    (System.nanoTime() - start) / 1e9,
                    dir);
        }
        if (languages.size() > 1) {
            System.out.printf("Built in %.1f s%n", (System.nanoTime() - total) / 1e9);
        }
        return 0;
    }

    private PretrainedEncoder englishEncoder(List<Language> languages) {
        if (enEncoder == null) {
            return Language.ENGLISH.encoder();
        }
        if (!languages.contains(Language.ENGLISH)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--en-encoder: --only " + only + " builds no English bundle");
        }
        PretrainedEncoder e = PretrainedEncoder.byCliName(enEncoder);
        if (e != PretrainedEncoder.MINILM_L6 && e != PretrainedEncoder.BGE_SMALL_EN) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--en-encoder "
                            + enEncoder
                            + ": the English bundle is built on minilm-l6 or bge-small-en");
        }
        return e;
    }
}
