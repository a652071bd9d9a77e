package dev.bertstream.models.tokenizer;

import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.TestCorpus;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BertTokenizerTest {

    static final Path PRETRAINED = Path.of("target", "pretrained");
    static final int MAX = 128;

    @TempDir Path tmp;

    @Test
    void matchesReferenceTokenizerOnEnglishCorpus() throws Exception {
        Path json = PretrainedEncoder.MINILM_L6.resolve(PRETRAINED).tokenizerJson();
        assertParity(json, TestCorpus.english(250), false);
    }

    @Test
    void matchesReferenceTokenizerOnChineseCorpus() throws Exception {
        Path json = PretrainedEncoder.BGE_SMALL_ZH.resolve(PRETRAINED).tokenizerJson();
        assertParity(json, TestCorpus.chinese(200), false);
    }

    @Test
    void vocabTxtRouteGivesTheSameIdsAsTokenizerJson() throws Exception {
        for (PretrainedEncoder enc : PretrainedEncoder.values()) {
            Path json = enc.resolve(PRETRAINED).tokenizerJson();
            Path vocab = writeVocab(json);
            JsonNode normalizer = new ObjectMapper().readTree(json.toFile()).path("normalizer");
            boolean lowercase = normalizer.path("lowercase").asBoolean();
            Boolean strip =
                    normalizer.path("strip_accents").isNull()
                            ? null
                            : normalizer.path("strip_accents").asBoolean();
            List<String> corpus = new ArrayList<>(TestCorpus.english(200));
            corpus.addAll(TestCorpus.chinese(50));
            try (BertTokenizer fromJson = BertTokenizer.fromTokenizerJson(json, MAX);
                    BertTokenizer fromVocab =
                            BertTokenizer.fromVocab(vocab, lowercase, strip, MAX)) {
                for (String text : corpus) {
                    assertThat(fromVocab.encode(text).inputIds())
                            .as("%s: %s", enc, text)
                            .isEqualTo(fromJson.encode(text).inputIds());
                }
                TokenizedText pair =
                        fromVocab.encodePair("is my order late?", "it shipped yesterday");
                assertThat(pair.inputIds())
                        .isEqualTo(
                                fromJson.encodePair("is my order late?", "it shipped yesterday")
                                        .inputIds());
            }
        }
    }

    @Test
    void sentencePairsGetSegmentIds() throws Exception {
        Path json = PretrainedEncoder.MINILM_L6.resolve(PRETRAINED).tokenizerJson();
        try (BertTokenizer tok = BertTokenizer.fromTokenizerJson(json, MAX);
                HuggingFaceTokenizer ref = reference(json)) {
            TokenizedText t = tok.encodePair("where is my parcel", "it left the warehouse");
            Encoding e = ref.encode("where is my parcel", "it left the warehouse");
            assertThat(t.inputIds()).isEqualTo(toInts(e.getIds()));
            assertThat(t.typeIds()).isEqualTo(toInts(e.getTypeIds()));
            assertThat(t.typeIds()).contains(0, 1);
        }
    }

    @Test
    void badInputNeverCrashesAndTruncationIsReported() throws Exception {
        Path json = PretrainedEncoder.MINILM_L6.resolve(PRETRAINED).tokenizerJson();
        try (BertTokenizer tok = BertTokenizer.fromTokenizerJson(json, MAX)) {
            assertThat(tok.encode("").inputIds()).containsExactly(101, 102);
            assertThat(tok.encode(" \t\n\u3000 ").inputIds()).containsExactly(101, 102);
            assertThat(tok.encode(null).inputIds()).containsExactly(101, 102);

            String megabyte = "spam and eggs ".repeat(75_000);
            TokenizedText big = tok.encode(megabyte);
            assertThat(big.length()).isEqualTo(MAX);
            assertThat(big.truncated()).isTrue();
            assertThat(tok.encode("short text").truncated()).isFalse();

            // BERT's text cleaning drops U+FFFD, so the words around the lone surrogates survive
            // (the replacement itself is checked in loneSurrogatesBecomeReplacementCharacters).
            TokenizedText lone = tok.encode("broken \uD83D surrogate \uDE00 here");
            assertThat(lone.inputIds())
                    .isEqualTo(tok.encode("broken \uFFFD surrogate \uFFFD here").inputIds())
                    .isEqualTo(tok.encode("broken surrogate here").inputIds());
            assertThat(tok.encode("bell\u0007 nul\u0000 esc\u001b").length()).isGreaterThan(2);

            // Huge run of spaces before the words: the character cap must not drop the words.
            String spaced = " ".repeat(10_000) + "hello world";
            assertThat(tok.encode(spaced).inputIds()).containsExactly(101, 7592, 2088, 102);
        }
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertThat(BertTokenizer.sanitize("broken \uD83D surrogate \uDE00 here"))
                .isEqualTo("broken \uFFFD surrogate \uFFFD here");
        assertThat(BertTokenizer.sanitize("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
        assertThat(BertTokenizer.sanitize("end \uD83D")).isEqualTo("end \uFFFD");
        String paired = "smile \uD83D\uDE00";
        assertThat(BertTokenizer.sanitize(paired)).isSameAs(paired);
    }

    @Test
    void cappingLongTextsKeepsExactlyTheTokensOfTheFullText() throws Exception {
        Path json = PretrainedEncoder.MINILM_L6.resolve(PRETRAINED).tokenizerJson();
        try (BertTokenizer tok = BertTokenizer.fromTokenizerJson(json, MAX);
                HuggingFaceTokenizer ref = reference(json)) {
            for (String text : TestCorpus.english(120)) {
                String longer = (text + " ").repeat(40);
                assertThat(tok.encode(longer).inputIds())
                        .isEqualTo(toInts(ref.encode(longer).getIds()));
            }
        }
    }

    private void assertParity(Path json, List<String> corpus, boolean pairs) throws Exception {
        try (BertTokenizer tok = BertTokenizer.fromTokenizerJson(json, MAX);
                HuggingFaceTokenizer ref = reference(json)) {
            List<TokenizedText> batch = tok.encodeBatch(corpus);
            int truncated = 0;
            for (int i = 0; i < corpus.size(); i++) {
                Encoding e = ref.encode(corpus.get(i));
                assertThat(batch.get(i).inputIds()).as(corpus.get(i)).isEqualTo(toInts(e.getIds()));
                assertThat(batch.get(i).typeIds()).isEqualTo(toInts(e.getTypeIds()));
                assertThat(tok.encode(corpus.get(i)).inputIds()).isEqualTo(batch.get(i).inputIds());
                truncated += batch.get(i).truncated() ? 1 : 0;
            }
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
            assertThat(truncated).as("corpus has texts that hit truncation").isGreaterThan(0);
        }
    }

    static HuggingFaceTokenizer reference(Path json) throws Exception {
        return HuggingFaceTokenizer.newInstance(
                json,
                Map.of("maxLength", String.valueOf(MAX), "truncation", "true", "padding", "false"));
    }

    private Path writeVocab(Path tokenizerJson) throws Exception {
        JsonNode vocab =
                new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
        String[] tokens = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tokens[e.getValue().asInt()] = e.getKey();
        }
        Path file = Files.createTempFile(tmp, "vocab", ".txt");
        Files.write(file, Arrays.asList(tokens));
        return file;
    }

    private static int[] toInts(long[] v) {
        return Arrays.stream(v).mapToInt(x -> (int) x).toArray();
    }
}
