package dev.bertstream.models.tokenizer;

import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.TestCorpus;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Truncation#HEAD_TAIL} against the untruncated output of the reference tokenizer: a long
 * text keeps exactly its first and last word pieces, a short one is untouched, and right truncation
 * is what it was.
 */
class HeadTailTruncationTest {

    static final Path PRETRAINED = Path.of("target", "pretrained");
    static Path minilm;
    static Path bgeZh;
    static final int MAX = 128;
    // 126 content tokens at 128 (without [CLS] and [SEP]), split 128:382 as Sun et al.'s 510.
    static final int HEAD = 32;
    static final int TAIL = 94;

    static final String LONG_ENGLISH = String.join(" ", TestCorpus.english(60));
    static final String LONG_CHINESE = String.join("", TestCorpus.chinese(40));

    @BeforeAll
    static void extractTokenizers() throws Exception {
        minilm = PretrainedEncoder.MINILM_L6.resolve(PRETRAINED).tokenizerJson();
        bgeZh = PretrainedEncoder.BGE_SMALL_ZH.resolve(PRETRAINED).tokenizerJson();
    }

    @Test
    void longTextKeepsExactlyItsFirstAndLastPieces() throws Exception {
        for (Path json : List.of(minilm, bgeZh)) {
            try (BertTokenizer tok =
                            BertTokenizer.fromTokenizerJson(json, MAX, Truncation.HEAD_TAIL);
                    HuggingFaceTokenizer ref = untruncated(json)) {
                for (String text : List.of(LONG_ENGLISH, LONG_CHINESE)) {
                    int[] full = ids(ref, text);
                    assertThat(full.length).as("test text is long").isGreaterThan(2 * MAX);
                    TokenizedText t = tok.encode(text);
                    assertThat(t.inputIds())
                            .as("%s: %s", json.getFileName(), text)
                            .isEqualTo(headTail(full, HEAD, TAIL));
                    assertThat(t.length()).isEqualTo(MAX);
                    assertThat(t.typeIds()).containsOnly(0);
                    assertThat(t.truncated()).isTrue();
                }
            }
        }
    }

    @Test
    void at512TokensTheSplitIsHead128Tail382AsInSunEtAl() throws Exception {
        String longer = LONG_ENGLISH.repeat(4);
        try (BertTokenizer tok =
                        BertTokenizer.fromTokenizerJson(minilm, 512, Truncation.HEAD_TAIL);
                HuggingFaceTokenizer ref = untruncated(minilm)) {
            int[] full = ids(ref, longer);
            assertThat(full.length).isGreaterThan(1024);
            assertThat(tok.encode(longer).inputIds()).isEqualTo(headTail(full, 128, 382));
        }
    }

    @Test
    void shortTextsAreUnchangedAndRightTruncationKeepsTheFirstPieces() throws Exception {
        List<String> corpus = new ArrayList<>(TestCorpus.english(200));
        corpus.addAll(TestCorpus.chinese(100));
        try (BertTokenizer headTail =
                        BertTokenizer.fromTokenizerJson(minilm, MAX, Truncation.HEAD_TAIL);
                BertTokenizer right = BertTokenizer.fromTokenizerJson(minilm, MAX);
                HuggingFaceTokenizer ref = untruncated(minilm)) {
            assertThat(right.truncation()).isEqualTo(Truncation.RIGHT);
            int shortTexts = 0;
            for (String text : corpus) {
                int[] full = ids(ref, text);
                if (full.length <= MAX) {
                    shortTexts++;
                    TokenizedText t = headTail.encode(text);
                    assertThat(t.inputIds()).as(text).isEqualTo(full);
                    assertThat(t.inputIds()).isEqualTo(right.encode(text).inputIds());
                    assertThat(t.truncated()).isFalse();
                }
            }
            assertThat(shortTexts).isGreaterThan(100);
            int[] full = ids(ref, LONG_ENGLISH);
            assertThat(right.encode(LONG_ENGLISH).inputIds()).isEqualTo(headTail(full, MAX - 2, 0));
        }
    }

    @Test
    void hugeTextsAreCutInTheMiddleWithoutChangingTheKeptPieces() throws Exception {
        String middle = "filler words that no kept token comes from ".repeat(5_000);
        String huge = LONG_ENGLISH + " " + middle + LONG_CHINESE;
        // The first 4096 characters are blank: the head's tokens come from after them, so the cut
        // at 16 characters per token must fall back to tokenizing the whole text.
        String blankHead = " ".repeat(5_000) + huge;
        try (BertTokenizer tok =
                        BertTokenizer.fromTokenizerJson(minilm, MAX, Truncation.HEAD_TAIL);
                HuggingFaceTokenizer ref = untruncated(minilm)) {
            for (String text : List.of(huge, blankHead)) {
                int[] expected = headTail(ids(ref, text), HEAD, TAIL);
                assertThat(tok.encode(text).inputIds()).isEqualTo(expected);
                assertThat(tok.encodeBatch(List.of("hi", text)).get(1).inputIds())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void batchesAndSpansAgreeWithSingleEncodings() throws Exception {
        List<String> corpus = new ArrayList<>(TestCorpus.english(100));
        corpus.add(LONG_ENGLISH);
        corpus.add(LONG_CHINESE);
        try (BertTokenizer tok =
                BertTokenizer.fromTokenizerJson(minilm, MAX, Truncation.HEAD_TAIL)) {
            List<TokenizedText> batch = tok.encodeBatch(corpus);
            for (int i = 0; i < corpus.size(); i++) {
                TokenizedText single = tok.encode(corpus.get(i));
                assertThat(batch.get(i).inputIds()).isEqualTo(single.inputIds());
                assertThat(tok.encodeWithSpans(corpus.get(i)).tokens().inputIds())
                        .isEqualTo(single.inputIds());
            }
        }
    }

    @Test
    void spansPointIntoTheTextAsGiven() throws Exception {
        String text = "start " + LONG_ENGLISH + " the end";
        try (BertTokenizer tok =
                        BertTokenizer.fromTokenizerJson(minilm, MAX, Truncation.HEAD_TAIL);
                HuggingFaceTokenizer ref = untruncated(minilm)) {
            TokenSpans spans = tok.encodeWithSpans(text);
            CharSpan[] all = ref.encode(text).getCharTokenSpans();
            int content = all.length - 2;
            assertThat(spans.starts()[0]).isEqualTo(-1);
            assertThat(spans.starts()[MAX - 1]).isEqualTo(-1);
            assertThat(spans.starts()[1]).isZero();
            assertThat(spans.ends()[HEAD]).isEqualTo(all[HEAD].getEnd());
            assertThat(spans.starts()[HEAD + 1]).isEqualTo(all[1 + content - TAIL].getStart());
            assertThat(spans.ends()[MAX - 2]).isEqualTo(all[all.length - 2].getEnd());
        }
    }

    @Test
    void pairsShareTheBudgetLongestFirstAndKeepTheirSegments() throws Exception {
        String question = "where is my parcel?";
        try (BertTokenizer tok =
                        BertTokenizer.fromTokenizerJson(minilm, MAX, Truncation.HEAD_TAIL);
                HuggingFaceTokenizer ref = untruncated(minilm)) {
            TokenizedText pair = tok.encodePair(LONG_ENGLISH, question);
            int[] a = ids(ref, LONG_ENGLISH);
            int[] b = ids(ref, question);
            // [CLS] a [SEP] b [SEP]: the short question is kept whole, the long text gives up its
            // middle.
            int keepA = MAX - 3 - (b.length - 2);
            int headA = (int) Math.round(keepA * 128.0 / 510);
            int[] expected =
                    concat(headTail(a, headA, keepA - headA), Arrays.copyOfRange(b, 1, b.length));
            assertThat(pair.inputIds()).isEqualTo(expected);
            assertThat(pair.length()).isEqualTo(MAX);
            int firstB = MAX - (b.length - 1);
            assertThat(Arrays.copyOfRange(pair.typeIds(), 0, firstB)).containsOnly(0);
            assertThat(Arrays.copyOfRange(pair.typeIds(), firstB, MAX)).containsOnly(1);
            assertThat(pair.truncated()).isTrue();
        }
    }

    @Test
    void strategyNamesParseAndUnknownOnesAreRefused() {
        assertThat(Truncation.parse(null)).isEqualTo(Truncation.RIGHT);
        assertThat(Truncation.parse("Head_Tail")).isEqualTo(Truncation.HEAD_TAIL);
        assertThat(Truncation.parse(Truncation.HEAD_TAIL.id())).isEqualTo(Truncation.HEAD_TAIL);
        assertThatThrownBy(() -> Truncation.parse("middle"))
                .hasMessage("Unknown truncation 'middle': use right or head-tail");
    }

    /** [CLS], the first {@code head} and last {@code tail} pieces of {@code full}, [SEP]. */
    static int[] headTail(int[] full, int head, int tail) {
        int content = full.length - 2;
        return IntStream.concat(
                        IntStream.of(full[0]),
                        IntStream.concat(
                                Arrays.stream(full, 1, 1 + head),
                                IntStream.concat(
                                        Arrays.stream(full, 1 + content - tail, 1 + content),
                                        IntStream.of(full[full.length - 1]))))
                .toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }

    static HuggingFaceTokenizer untruncated(Path json) throws Exception {
        return HuggingFaceTokenizer.newInstance(
                json, Map.of("truncation", "false", "padding", "false"));
    }

    static int[] ids(HuggingFaceTokenizer ref, String text) {
        return Arrays.stream(ref.encode(text).getIds()).mapToInt(x -> (int) x).toArray();
    }
}
