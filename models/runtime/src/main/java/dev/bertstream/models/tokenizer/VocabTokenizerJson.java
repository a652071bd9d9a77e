package dev.bertstream.models.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a plain BERT {@code vocab.txt} into the equivalent Hugging Face {@code tokenizer.json}
 * (BertNormalizer, BertPreTokenizer, WordPiece, [CLS]/[SEP] template), so one tokenizer
 * implementation serves both formats and every bundle carries a single self-describing tokenizer
 * file.
 */
final class VocabTokenizerJson {

    private static final String[] SPECIALS = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

    private VocabTokenizerJson() {}

    /**
     * @param vocabTxt one token per line, line number = id
     * @param lowercase whether the model is uncased
     * @param stripAccents {@code null} to follow {@code lowercase}, as Hugging Face's
     *     BertNormalizer does
     */
    public static String fromVocab(Path vocabTxt, boolean lowercase, Boolean stripAccents)
            throws IOException {
        List<String> tokens = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode vocab = m.createObjectNode();
        for (int id = 0; id < tokens.size(); id++) {
            String t = tokens.get(id).strip();
            if (!t.isEmpty() && !vocab.has(t)) {
                vocab.put(t, id);
            }
        }
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIALS) {
            if (!vocab.has(s)) {
                throw new IOException(vocabTxt + " lacks the special token " + s);
            }
            added.addObject()
                    .put("id", vocab.get(s).asInt())
                    .put("content", s)
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer
                .put("type", "BertNormalizer")
                .put("clean_text", true)
                .put("handle_chinese_chars", true)
                .put("lowercase", lowercase);
        if (stripAccents == null) {
            normalizer.putNull("strip_accents");
        } else {
            normalizer.put("strip_accents", stripAccents);
        }
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specialTokens = post.putObject("special_tokens");
        for (String s : new String[] {"[CLS]", "[SEP]"}) {
            ObjectNode st = specialTokens.putObject(s);
            st.put("id", s);
            st.putArray("ids").add(vocab.get(s).asInt());
            st.putArray("tokens").add(s);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece")
                .put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        model.set("vocab", vocab);
        return m.writeValueAsString(root);
    }

    private static void special(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", id).put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
    }
}
