package dev.bertstream.models.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabeledDatasetReaderTest {

    @TempDir Path tmp;

    @Test
    void readsTsvCsvAndJsonl() throws Exception {
        assertThat(
                        LabeledDatasetReader.read(
                                file("a.tsv", "great stuff\tpositive\n\nmeh\tneutral\n")))
                .extracting(LabeledExample::label)
                .containsExactly("positive", "neutral");
        assertThat(
                        LabeledDatasetReader.read(
                                file(
                                        "a.csv",
                                        "text,label\n\"hi, there\",greeting\n\"say \"\"no\"\"\",cancel\n")))
                .extracting(LabeledExample::text)
                .containsExactly("hi, there", "say \"no\"");
        assertThat(
                        LabeledDatasetReader.read(
                                file(
                                        "a.jsonl",
                                        "{\"text\":\"x y\",\"label\":\"toxic\"}\n{\"text\":\"z\",\"label\":1}\n")))
                .extracting(LabeledExample::label)
                .containsExactly("toxic", "1");
    }

    @Test
    void multiLabelColumnsListTheirLabelsCommaSeparatedOrAsAJsonArray() throws Exception {
        var tsv =
                LabeledDatasetReader.read(
                        file("m.tsv", "text\tlabel\nugh, fine\tanger,annoyance\nyay\tjoy\n"));
        assertThat(tsv).extracting(LabeledExample::text).containsExactly("ugh, fine", "yay");
        assertThat(tsv.get(0).labels()).containsExactly("anger", "annoyance");
        assertThat(tsv.get(0).hasSeveralLabels()).isTrue();
        assertThat(tsv.get(1).labels()).containsExactly("joy");
        assertThat(tsv.get(1).hasSeveralLabels()).isFalse();
        var csv = LabeledDatasetReader.read(file("m.csv", "\"ugh, fine\",\"anger,annoyance\"\n"));
        assertThat(csv.get(0).labels()).containsExactly("anger", "annoyance");
        var jsonl =
                LabeledDatasetReader.read(
                        file(
                                "m.jsonl",
                                "{\"text\":\"ugh\",\"label\":[\"anger\",\"annoyance\"]}\n"));
        assertThat(jsonl.get(0).label()).isEqualTo("anger,annoyance");
    }

    @Test
    void badFilesNameTheFileAndLine() throws Exception {
        assertThatThrownBy(() -> LabeledDatasetReader.read(file("empty.tsv", "")))
                .hasMessageContaining("empty.tsv")
                .hasMessageContaining("no examples");
        assertThatThrownBy(
                        () ->
                                LabeledDatasetReader.read(
                                        file("nocol.tsv", "ok\tpositive\njust text\n")))
                .hasMessageContaining("nocol.tsv:2")
                .hasMessageContaining("no tab");
        assertThatThrownBy(() -> LabeledDatasetReader.read(file("nolabel.tsv", "ok\t\n")))
                .hasMessageContaining("nolabel.tsv:1")
                .hasMessageContaining("empty label");
        assertThatThrownBy(
                        () ->
                                LabeledDatasetReader.read(
                                        file(
                                                "bad.jsonl",
                                                "{\"text\":\"a\",\"label\":\"b\"}\n{\"text\":3,\"label\":\"b\"}\n")))
                .hasMessageContaining("bad.jsonl:2")
                .hasMessageContaining("\"text\"");
        assertThatThrownBy(() -> LabeledDatasetReader.read(file("broken.jsonl", "{not json\n")))
                .hasMessageContaining("broken.jsonl:1")
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> LabeledDatasetReader.read(file("one.csv", "text only\n")))
                .hasMessageContaining("one.csv:1")
                .hasMessageContaining("one column");
        Path binary = tmp.resolve("latin1.tsv");
        Files.write(
                binary,
                "fine\tpositive\ncaf\u00e9\tneutral\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LabeledDatasetReader.read(binary))
                .hasMessageContaining("latin1.tsv:2")
                .hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> LabeledDatasetReader.read(tmp.resolve("missing.tsv")))
                .hasMessageContaining("no such file");
    }

    private Path file(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
