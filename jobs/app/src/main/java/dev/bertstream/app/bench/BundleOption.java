package dev.bertstream.app.bench;

import dev.bertstream.models.training.DefaultBundle;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code --model} option of the benches, mixed into each with {@code @Mixin}: a bench measures
 * the bundle it is given, else the English default bundle, built on first use so that a bench runs
 * on a fresh clone with no set-up.
 */
final class BundleOption {

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "Model bundle (default: the default bundle, built when missing).")
    Path model;

    /** The bundle to measure; builds the default bundle (progress on stderr) when none is given. */
    Path resolve() throws IOException {
        return model != null
                ? model
                : DefaultBundle.ensure(DefaultBundle.defaultLocation(), System.err);
    }
}
