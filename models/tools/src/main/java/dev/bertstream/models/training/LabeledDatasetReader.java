package dev.bertstream.models.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads labeled text from TSV ({@code text<TAB>label}), CSV ({@code text,label} with quotes,
 * optional header) or JSONL ({@code {"text": ..., "label": ...}}), chosen by file extension. Every
 * problem is reported with the file and line: undecodable bytes, a missing column, an empty text or
 * label, an empty file.
 *
 * <p>A multi-label example lists its labels comma-separated in the label column ({@code
 * anger,annoyance}; quoted in CSV) or as a JSON array; {@link TaskLabels} then makes the task
 * multi-label.
 */
@Internal
public final class LabeledDatasetReader {

    private LabeledDatasetReader() {}

    /** Reads all examples of {@code file}. */
    public static List<LabeledExample> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, 0, "no such file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<LabeledExample> out = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetFormatException(file, 0, "cannot read: " + e.getMessage());
        }
        var decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ObjectMapper json = new ObjectMapper();
        long lineNo = 0;
        // Decoded line by line (not through a buffered reader) so an encoding error names its own
        // line.
        for (int start = 0; start < bytes.length; ) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            String line;
            try {
                line = decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw new DatasetFormatException(file, lineNo, "bytes that are not valid UTF-8");
            }
            start = end + 1;
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (line.isBlank() || (lineNo == 1 && isHeader(line))) {
                continue;
            }
            LabeledExample e;
            if (name.endsWith(".jsonl") || name.endsWith(".json")) {
                e = jsonLine(json, line, file, lineNo);
            } else if (name.endsWith(".csv")) {
                e = csvLine(line, file, lineNo);
            } else {
                e = tsvLine(line, file, lineNo);
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            throw new DatasetFormatException(file, 0, "the file holds no examples");
        }
        return out;
    }

    /**
     * A first line {@code text<TAB>label} or {@code text,label} names the columns and is skipped.
     */
    private static boolean isHeader(String line) {
        String l = line.strip().toLowerCase(Locale.ROOT);
        return l.equals("text\tlabel") || l.equals("text,label");
    }

    private static LabeledExample tsvLine(String line, Path file, long lineNo) {
        int tab = line.lastIndexOf('\t');
        if (tab < 0) {
            throw new DatasetFormatException(file, lineNo, "expected text<TAB>label, found no tab");
        }
        return example(line.substring(0, tab), line.substring(tab + 1), file, lineNo);
    }

    private static LabeledExample csvLine(String line, Path file, long lineNo) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        if (cells.size() < 2) {
            throw new DatasetFormatException(file, lineNo, "expected text,label, found one column");
        }
        return example(
                String.join(",", cells.subList(0, cells.size() - 1)),
                cells.get(cells.size() - 1),
                file,
                lineNo);
    }

    private static LabeledExample jsonLine(ObjectMapper json, String line, Path file, long lineNo) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            throw new DatasetFormatException(
                    file,
                    lineNo,
                    "not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode text = node.get("text");
        JsonNode label = node.get("label");
        if (text == null || !text.isTextual()) {
            throw new DatasetFormatException(file, lineNo, "missing string field \"text\"");
        }
        if (label != null && label.isArray()) {
            // Multi-label: ["anger", "annoyance"] is the label column "anger,annoyance".
            List<String> labels = new ArrayList<>();
            for (JsonNode l : label) {
                if (l.isContainerNode() || l.isNull()) {
                    throw new DatasetFormatException(
                            file, lineNo, "\"label\" array holds a non-string value");
                }
                labels.add(l.asText().strip());
            }
            return example(
                    text.asText(),
                    String.join(LabeledExample.LABEL_SEPARATOR, labels),
                    file,
                    lineNo);
        }
        if (label == null || label.isNull() || label.isContainerNode()) {
            throw new DatasetFormatException(file, lineNo, "missing field \"label\"");
        }
        return example(text.asText(), label.asText(), file, lineNo);
    }

    private static LabeledExample example(String text, String label, Path file, long lineNo) {
        if (label.isBlank()) {
            throw new DatasetFormatException(file, lineNo, "empty label");
        }
        if (text.isBlank()) {
            throw new DatasetFormatException(file, lineNo, "empty text");
        }
        return new LabeledExample(text, label.strip(), file, lineNo);
    }
}
