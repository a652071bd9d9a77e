package dev.bertstream.models.cli;

import dev.bertstream.models.training.DefaultBundle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code models build-default}: builds the default bundle the demo uses. */
@Command(
        name = "build-default",
        mixinStandardHelpOptions = true,
        description =
                "Import all-MiniLM-L6-v2 and train the sentiment, toxicity and intent heads on the project's "
                        + "seed data (models/data) into one bundle.")
final class BuildDefaultCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Bundle directory (default: the bert-stream cache).")
    Path out;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        DefaultBundle.build(out != null ? out : DefaultBundle.defaultLocation(), System.err);
        System.out.printf("Built in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
