package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.codec.AvroRecordWriter;
import dev.bertstream.serde.codec.SchemaHistory;

import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A schema change must come with a new shipped version, and every version must stay compatible. */
class SchemaHistoryTest {

    static Stream<Schema> contracts() {
        return Stream.of(
                TextEvent.getClassSchema(),
                LabeledEvent.getClassSchema(),
                DeadLetter.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void theNewestShippedVersionIsTheGeneratedSchema(Schema current) {
        List<Schema> versions = SchemaHistory.versions(current.getName());
        assertThat(versions).as("shipped versions of " + current.getName()).isNotEmpty();
        Schema newest = versions.get(versions.size() - 1);
        assertThat(newest)
                .as(
                        "%s changed: add %s with -Dgolden.write=v%d (see GoldenFilesWriterTest)",
                        current.getName(),
                        SchemaHistory.resource(current.getName(), versions.size() + 1),
                        versions.size() + 1)
                .isEqualTo(current);
        // Docs are not compared: a doc-only change needs no new version.
        assertThat(AvroRecordWriter.fingerprint(newest))
                .isEqualTo(AvroRecordWriter.fingerprint(current));
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void everyVersionIsFullyCompatibleWithTheCurrentOne(Schema current) {
        for (Schema old : SchemaHistory.versions(current.getName())) {
            assertThat(SchemaHistory.incompatibility(current, old))
                    .as("current reads old")
                    .isNull();
            assertThat(SchemaHistory.incompatibility(old, current))
                    .as("old reads current")
                    .isNull();
        }
    }
}
