package dev.bertstream.models.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The public labeled datasets in {@code ../shared/datasets} beside the project, present on
 * development and CI machines but not in a user's clone: tests that read them skip when they are
 * absent.
 */
public final class SharedDatasets {

    /** Why a test skipped. */
    public static final String SKIP_MESSAGE =
            "../shared/datasets is not present (it is not part of the repository)";

    private SharedDatasets() {}

    /**
     * The datasets directory: {@code $BERT_STREAM_DATASETS} or {@code ../shared/datasets} from the
     * project root.
     */
    public static Path root() {
        String env = System.getenv("BERT_STREAM_DATASETS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        // Surefire runs in the module directory; ../shared sits beside the project root, some
        // levels up.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(Path.of("shared", "datasets"));
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("..", "shared", "datasets").toAbsolutePath().normalize();
    }

    public static boolean available() {
        return Files.isDirectory(root());
    }

    /** Copies the first {@code lines} lines of {@code relative} to {@code target}. */
    public static Path head(String relative, int lines, Path target) throws IOException {
        try (var stream = Files.lines(root().resolve(relative))) {
            List<String> first = stream.limit(lines).toList();
            Files.write(target, first);
        }
        return target;
    }
}
