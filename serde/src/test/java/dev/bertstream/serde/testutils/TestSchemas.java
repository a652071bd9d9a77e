package dev.bertstream.serde.testutils;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Schemas that exist only for tests, e.g. a future TextEvent version. */
public final class TestSchemas {

    /** Registry id the tests' v2 producers use. */
    public static final int V2_SCHEMA_ID = 42;

    private TestSchemas() {}

    /** TextEvent v1 plus an optional {@code channel} field. */
    public static Schema textEventV2() {
        return load("schemas/TextEvent-v2-test.avsc");
    }

    /** An unrelated record that happens to share nothing with TextEvent. */
    public static Schema unrelated() {
        return new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"Click\",\"namespace\":\"com.example\","
                                + "\"fields\":[{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":\"int\"}]}");
    }

    private static Schema load(String resource) {
        try (InputStream in = TestSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
