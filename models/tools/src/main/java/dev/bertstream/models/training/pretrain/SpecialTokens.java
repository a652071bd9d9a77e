package dev.bertstream.models.training.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids of a tokenizer's special tokens ({@code [MASK]}, {@code [CLS]}, ...), read from its
 * Hugging Face {@code tokenizer.json}.
 *
 * @param maskId the id of {@code [MASK]} (or RoBERTa's {@code <mask>})
 * @param all every special token's id, never drawn as a random replacement
 */
record SpecialTokens(int maskId, Set<Integer> all) {

    static SpecialTokens read(Path tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
        Set<Integer> all = new HashSet<>();
        Integer mask = null;
        for (JsonNode t : root.path("added_tokens")) {
            if (t.path("special").asBoolean(false)) {
                all.add(t.path("id").asInt());
            }
            String content = t.path("content").asText();
            if (content.equals("[MASK]") || content.equals("<mask>")) {
                mask = t.path("id").asInt();
            }
        }
        JsonNode vocab = root.path("model").path("vocab");
        for (String name : new String[] {"[MASK]", "[CLS]", "[SEP]", "[PAD]", "[UNK]"}) {
            if (vocab.has(name)) {
                all.add(vocab.get(name).asInt());
                if (mask == null && name.equals("[MASK]")) {
                    mask = vocab.get(name).asInt();
                }
            }
        }
        if (mask == null) {
            throw new IllegalArgumentException(
                    tokenizerJson + " has no [MASK] token: this encoder cannot be pre-trained");
        }
        return new SpecialTokens(mask, all);
    }
}
