package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.testutils.Encodings;
import dev.bertstream.serde.testutils.GoldenFiles;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.bertstream.serde.testutils.GoldenFiles.GOLDEN_SCHEMA_ID;

/**
 * One-time writer of the schema history and golden bytes for a new schema version.
 *
 * <p>After changing a schema in {@code src/main/avro}, run {@code mvn -pl serde verify
 * -Dgolden.write=v<N>} once with the next version number and commit the new files. Existing files
 * are never overwritten.
 */
@EnabledIfSystemProperty(named = "golden.write", matches = "v[0-9]+")
class GoldenFilesWriterTest {

    @Test
    void writeSchemaHistoryAndGoldenBytes() throws IOException {
        String version = System.getProperty("golden.write");
        Path history = GoldenFiles.HISTORY_ROOT.resolve(version);
        for (Schema s :
                new Schema[] {
                    TextEvent.getClassSchema(),
                    LabeledEvent.getClassSchema(),
                    DeadLetter.getClassSchema()
                }) {
            GoldenFiles.writeNew(
                    history.resolve(s.getName() + ".avsc"),
                    (SchemaFormatter.format("json/pretty", s) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        Path golden = GoldenFiles.GOLDEN_ROOT.resolve(version);
        writeAll(golden, "text-event", TestEvents.textEvent());
        writeAll(golden, "labeled-event", TestEvents.labeledEvent());
        writeAll(golden, "multi-label-event", TestEvents.multiLabelEvent());
        writeAll(golden, "dead-letter", TestEvents.deadLetter());
        GoldenFiles.writeNew(
                golden.resolve("text-event.json"), Encodings.json(TestEvents.textEvent()));
    }

    private static void writeAll(Path dir, String name, SpecificRecord record) throws IOException {
        GoldenFiles.writeNew(dir.resolve(name + ".avro"), Encodings.bare(record));
        GoldenFiles.writeNew(
                dir.resolve(name + ".confluent"),
                Encodings.encode(record, WireFormat.CONFLUENT, GOLDEN_SCHEMA_ID));
        GoldenFiles.writeNew(
                dir.resolve(name + ".single-object"),
                Encodings.encode(record, WireFormat.SINGLE_OBJECT, 0));
    }
}
