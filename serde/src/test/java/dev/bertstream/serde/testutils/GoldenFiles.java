package dev.bertstream.serde.testutils;

import dev.bertstream.serde.codec.SchemaHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where golden bytes and the schema history live in the source tree.
 *
 * <p>Golden files are written once per schema version by {@code GoldenFilesWriterTest} and never
 * rewritten; tests read them to prove old data still decodes.
 */
public final class GoldenFiles {

    /** The Confluent schema id the golden Confluent-framed files carry. */
    public static final int GOLDEN_SCHEMA_ID = 1;

    public static final Path GOLDEN_ROOT = Path.of("src/test/resources/golden");
    public static final Path HISTORY_ROOT =
            Path.of("src/main/resources").resolve(SchemaHistory.RESOURCE_ROOT);

    private GoldenFiles() {}

    public static String resource(int version, String file) {
        return "golden/v" + version + "/" + file;
    }

    public static byte[] read(int version, String file) {
        try (var in =
                GoldenFiles.class.getClassLoader().getResourceAsStream(resource(version, file))) {
            if (in == null) {
                throw new AssertionError("missing golden file " + resource(version, file));
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a new file, refusing to replace one: golden bytes are immutable once committed. */
    public static void writeNew(Path file, byte[] content) throws IOException {
        if (Files.exists(file)) {
            throw new IllegalStateException(
                    file + " exists; golden files and schema history are never rewritten");
        }
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }
}
