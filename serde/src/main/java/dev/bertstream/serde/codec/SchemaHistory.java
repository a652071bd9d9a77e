package dev.bertstream.serde.codec;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every released version of the event schemas, shipped as resources {@code
 * dev/bertstream/events/history/v<N>/<Record>.avsc}.
 *
 * <p>Single-object readers need the exact writer schema for each fingerprint they may meet, so
 * every schema this project ever wrote stays on the classpath; a test fails when the generated
 * schema differs from the newest version here.
 */
@Internal
public final class SchemaHistory {

    public static final String RESOURCE_ROOT = "dev/bertstream/events/history/";

    private SchemaHistory() {}

    /** Resource path of one version of one record schema. */
    public static String resource(String recordName, int version) {
        return RESOURCE_ROOT + "v" + version + "/" + recordName + ".avsc";
    }

    /** All shipped versions of a record schema, oldest first (index 0 is v1). */
    public static List<Schema> versions(String recordName) {
        List<Schema> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            String json = readResource(resource(recordName, v));
            if (json == null) {
                return out;
            }
            out.add(new Schema.Parser().parse(json));
        }
    }

    /**
     * Resolves a configured schema: {@code v<N>} is a shipped version of {@code recordName}, text
     * starting with '{' is inline JSON, anything else a path to an .avsc file.
     */
    public static Schema resolve(String spec, String recordName) {
        String s = spec.trim();
        if (s.matches("v[0-9]+")) {
            String json = readResource(resource(recordName, Integer.parseInt(s.substring(1))));
            if (json == null) {
                throw new IllegalArgumentException(
                        "no shipped "
                                + recordName
                                + " schema version "
                                + s
                                + " (shipped: v1.."
                                + "v"
                                + versions(recordName).size()
                                + ")");
            }
            return new Schema.Parser().parse(json);
        }
        if (s.startsWith("{")) {
            return new Schema.Parser().parse(s);
        }
        try {
            return new Schema.Parser().parse(Files.readString(Path.of(s), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read schema file " + s + ": " + e, e);
        }
    }

    /** Null if data written with {@code writer} can be read as {@code reader}, else why not. */
    public static String incompatibility(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().toString();
    }

    private static String readResource(String path) {
        try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
