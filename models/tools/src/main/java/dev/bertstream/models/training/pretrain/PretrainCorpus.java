package dev.bertstream.models.training.pretrain;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Unlabeled texts for pre-training: one text per line; in a TSV file (such as a labeled {@code
 * train.tsv}) the first column, without its {@code text} header.
 */
@Internal
public final class PretrainCorpus {

    private PretrainCorpus() {}

    /** Every non-blank text of {@code files}, in order. */
    public static List<String> read(List<Path> files) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            boolean tsv = file.getFileName().toString().endsWith(".tsv");
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i);
                if (tsv) {
                    int tab = text.indexOf('\t');
                    text = tab < 0 ? text : text.substring(0, tab);
                    if (i == 0 && text.equals("text")) {
                        continue;
                    }
                }
                if (!text.isBlank()) {
                    texts.add(text.strip());
                }
            }
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("No texts in " + files);
        }
        return texts;
    }
}
