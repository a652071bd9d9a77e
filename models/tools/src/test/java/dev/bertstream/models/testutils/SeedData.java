package dev.bertstream.models.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The project's own seed data ({@code models/tools/data}, present in every clone). The files are
 * shuffled, so their first lines are a sample of every label: tests that fine-tune on them take a
 * few hundred lines rather than thousands.
 */
public final class SeedData {

    private SeedData() {}

    /** {@code models/tools/data/<relative>}, seen from the module directory (surefire's). */
    public static Path file(String relative) {
        return Path.of("data").resolve(relative);
    }

    /** Copies the first {@code lines} lines of seed file {@code relative} to {@code target}. */
    public static Path head(String relative, int lines, Path target) throws IOException {
        try (var stream = Files.lines(file(relative))) {
            List<String> first = stream.limit(lines).toList();
            Files.write(target, first);
        }
        return target;
    }
}
