package dev.bertstream.models.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import org.apache.flink.annotation.PublicEvolving;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT WordPiece tokenization through the Hugging Face tokenizers library (Rust, via DJL's bundled
 * natives), so ids match the reference implementation exactly. Truncates to a max length (the
 * {@link Truncation} strategy decides which tokens stay), never pads (the predictor pads each batch
 * to its own longest text) and reports truncation. Thread-safe.
 *
 * <pre>{@code
 * try (BertTokenizer tok = BertTokenizer.fromTokenizerJson(Path.of("tokenizer.json"), 128)) {
 *     TokenizedText t = tok.encode("where is my parcel?");
 * }
 * }</pre>
 */
@PublicEvolving
public final class BertTokenizer implements AutoCloseable {

    /**
     * Texts longer than {@code maxLength × CHARS_PER_TOKEN_CAP} characters are cut (at a space)
     * before they reach the native tokenizer: a WordPiece token covers at least one character, so
     * the cut keeps every token that survives truncation while bounding the work a 1 MB message
     * costs.
     */
    private static final int CHARS_PER_TOKEN_CAP = 16;

    private final HuggingFaceTokenizer hf;
    private final String json;
    private final int maxLength;
    private final Truncation truncation;

    private BertTokenizer(String json, int maxLength, Truncation truncation) {
        if (maxLength < 2) {
            throw new IllegalArgumentException(
                    "max length must be >= 2 ([CLS] and [SEP]), got " + maxLength);
        }
        this.json = json;
        this.maxLength = maxLength;
        this.truncation = Objects.requireNonNull(truncation, "truncation");
        try {
            // Right truncation is the native library's; head+tail needs every token, then cuts
            // the middle out in keepHeadAndTail.
            this.hf =
                    HuggingFaceTokenizer.newInstance(
                            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                            Map.of(
                                    "maxLength",
                                    String.valueOf(maxLength),
                                    "truncation",
                                    String.valueOf(truncation == Truncation.RIGHT),
                                    "padding",
                                    "false",
                                    "addSpecialTokens",
                                    "true"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "Not a valid Hugging Face tokenizer definition: " + e.getMessage(), e);
        }
    }

    /** Loads a Hugging Face {@code tokenizer.json} that truncates long texts on the right. */
    public static BertTokenizer fromTokenizerJson(Path file, int maxLength) {
        return fromTokenizerJson(file, maxLength, Truncation.RIGHT);
    }

    /**
     * Loads a Hugging Face {@code tokenizer.json} that truncates long texts as {@code truncation}.
     */
    public static BertTokenizer fromTokenizerJson(Path file, int maxLength, Truncation truncation) {
        try {
            return new BertTokenizer(
                    Files.readString(file, StandardCharsets.UTF_8), maxLength, truncation);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tokenizer " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a tokenizer from a plain {@code vocab.txt}.
     *
     * @param stripAccents {@code null} to strip accents exactly when lower-casing, as BERT does
     */
    public static BertTokenizer fromVocab(
            Path vocabTxt, boolean lowercase, Boolean stripAccents, int maxLength) {
        try {
            return new BertTokenizer(
                    VocabTokenizerJson.fromVocab(vocabTxt, lowercase, stripAccents),
                    maxLength,
                    Truncation.RIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read vocabulary " + vocabTxt, e);
        }
    }

    /** Max tokens per text, [CLS] and [SEP] included. */
    public int maxLength() {
        return maxLength;
    }

    /** Which tokens of a longer text are kept. */
    public Truncation truncation() {
        return truncation;
    }

    /** Writes the tokenizer definition as a Hugging Face {@code tokenizer.json}. */
    public void save(Path file) throws IOException {
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    /** Tokenizes one text. */
    public TokenizedText encode(String text) {
        text = sanitize(text);
        if (truncation == Truncation.HEAD_TAIL) {
            return keepHeadAndTail(encodeHeadTail(text)).tokens();
        }
        String capped = cap(text);
        TokenizedText t = convert(hf.encode(capped));
        if (capped.length() < text.length() && !t.truncated()) {
            // The cut removed text that would still have produced tokens: tokenize it all.
            return convert(hf.encode(text));
        }
        return t;
    }

    /**
     * Tokenizes one text and reports the characters each token came from, for tools that work on
     * words rather than tokens (whole-word masking in pre-training).
     */
    public TokenSpans encodeWithSpans(String text) {
        text = sanitize(text);
        if (truncation == Truncation.HEAD_TAIL) {
            // Uncapped, so the spans point into the text as given.
            return keepHeadAndTail(hf.encode(text));
        }
        Encoding e = hf.encode(cap(text));
        CharSpan[] spans = e.getCharTokenSpans();
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        for (int i = 0; i < spans.length; i++) {
            starts[i] = spans[i] == null ? -1 : spans[i].getStart();
            ends[i] = spans[i] == null ? -1 : spans[i].getEnd();
        }
        long[] special = e.getSpecialTokenMask();
        for (int i = 0; i < special.length; i++) {
            if (special[i] != 0) {
                starts[i] = -1;
                ends[i] = -1;
            }
        }
        return new TokenSpans(convert(e), starts, ends);
    }

    /**
     * Tokenizes a sentence pair ({@code [CLS] a [SEP] b [SEP]}, segment ids 0 then 1). A pair too
     * long is cut longest-first: the longer text gives up tokens until both fit; {@link
     * Truncation#HEAD_TAIL} then drops the middle of each text rather than its end.
     */
    public TokenizedText encodePair(String a, String b) {
        if (truncation == Truncation.HEAD_TAIL) {
            return keepHeadAndTail(hf.encode(sanitize(a), sanitize(b))).tokens();
        }
        return convert(hf.encode(cap(sanitize(a)), cap(sanitize(b))));
    }

    /** Tokenizes many texts; the native library spreads the work over its own threads. */
    public List<TokenizedText> encodeBatch(List<String> texts) {
        if (truncation == Truncation.HEAD_TAIL) {
            return encodeBatchHeadTail(texts);
        }
        List<String> capped = new ArrayList<>(texts.size());
        boolean anyCapped = false;
        for (String t : texts) {
            String c = cap(sanitize(t));
            anyCapped |= t != null && c.length() < t.length();
            capped.add(c);
        }
        Encoding[] encodings = hf.batchEncode(capped);
        List<TokenizedText> out = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            TokenizedText t = convert(encodings[i]);
            String original = texts.get(i);
            boolean wasCapped =
                    anyCapped && original != null && capped.get(i).length() < original.length();
            out.add(wasCapped ? encode(original) : t);
        }
        return out;
    }

    private List<TokenizedText> encodeBatchHeadTail(List<String> texts) {
        List<CappedText> capped = new ArrayList<>(texts.size());
        List<String> inputs = new ArrayList<>(texts.size());
        for (String t : texts) {
            CappedText c = capBothEnds(sanitize(t));
            capped.add(c);
            inputs.add(c.text());
        }
        Encoding[] encodings = hf.batchEncode(inputs);
        List<TokenizedText> out = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            CappedText c = capped.get(i);
            Encoding e = keepsEnough(c, encodings[i]) ? encodings[i] : hf.encode(c.original());
            out.add(keepHeadAndTail(e).tokens());
        }
        return out;
    }

    /** Tokenizes all of a text whose head and tail are to be kept, its middle capped when huge. */
    private Encoding encodeHeadTail(String text) {
        CappedText c = capBothEnds(text);
        Encoding e = hf.encode(c.text());
        return keepsEnough(c, e) ? e : hf.encode(text);
    }

    /**
     * {@link #cap} for head+tail: a huge text keeps its first and its last {@code maxLength ×
     * CHARS_PER_TOKEN_CAP} characters (each cut at a space), joined by a space.
     */
    private CappedText capBothEnds(String text) {
        int limit = maxLength * CHARS_PER_TOKEN_CAP;
        if (text.length() <= 2 * limit) {
            return new CappedText(text, text, text.length(), 0);
        }
        String head = cap(text);
        int start = text.length() - limit;
        while (start < text.length() - limit / 2 && !Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (Character.isLowSurrogate(text.charAt(start))) {
            start++;
        }
        String joined = head + " " + text.substring(start);
        return new CappedText(text, joined, head.length(), head.length() + 1);
    }

    /**
     * A text, possibly with its middle cut out.
     *
     * @param headEnd characters of {@code text} taken from the start of the original
     * @param tailStart where in {@code text} the characters taken from its end begin
     */
    private record CappedText(String original, String text, int headEnd, int tailStart) {}

    /**
     * Whether an encoding of a capped text has as many tokens from each end as head+tail keeps:
     * then the cut lost nothing that survives truncation. Otherwise (a head or tail of mostly
     * spaces or very long words) the whole original must be tokenized.
     */
    private boolean keepsEnough(CappedText c, Encoding e) {
        if (c.text() == c.original()) {
            return true;
        }
        CharSpan[] spans = e.getCharTokenSpans();
        long[] special = e.getSpecialTokenMask();
        int specials = 0;
        int fromHead = 0;
        int fromTail = 0;
        for (int i = 0; i < special.length; i++) {
            if (special[i] != 0) {
                specials++;
            } else if (spans[i] != null && spans[i].getStart() < c.headEnd()) {
                fromHead++;
            } else if (spans[i] != null && spans[i].getStart() >= c.tailStart()) {
                fromTail++;
            }
        }
        int budget = maxLength - specials;
        int head = truncation.headTokens(budget);
        return fromHead >= head && fromTail >= budget - head;
    }

    /**
     * Cuts an untruncated encoding to {@code maxLength} tokens: every special token stays ([CLS],
     * [SEP]), and of each text's tokens the first {@link Truncation#headTokens} of its share and
     * the last ones. The two texts of a pair share the budget longest-first, as the native
     * library's right truncation does.
     */
    private TokenSpans keepHeadAndTail(Encoding e) {
        long[] sequence = e.getSequenceIds();
        int n = sequence.length;
        int[] count = new int[2];
        for (long s : sequence) {
            if (s >= 0) {
                count[(int) s]++;
            }
        }
        int budget = Math.max(0, maxLength - (n - count[0] - count[1]));
        int[] keep = shareLongestFirst(count[0], count[1], budget);
        boolean[] kept = new boolean[n];
        int[] seen = new int[2];
        int size = 0;
        for (int i = 0; i < n; i++) {
            int s = (int) sequence[i];
            if (s < 0) {
                kept[i] = true;
            } else {
                int head = truncation.headTokens(keep[s]);
                int tail = keep[s] - head;
                int pos = seen[s]++;
                kept[i] = pos < head || pos >= count[s] - tail;
            }
            size += kept[i] ? 1 : 0;
        }
        long[] ids = e.getIds();
        long[] types = e.getTypeIds();
        CharSpan[] spans = e.getCharTokenSpans();
        int[] outIds = new int[size];
        int[] outTypes = new int[size];
        int[] starts = new int[size];
        int[] ends = new int[size];
        for (int i = 0, j = 0; i < n; i++) {
            if (!kept[i]) {
                continue;
            }
            outIds[j] = (int) ids[i];
            outTypes[j] = (int) types[i];
            boolean content = sequence[i] >= 0 && spans[i] != null;
            starts[j] = content ? spans[i].getStart() : -1;
            ends[j] = content ? spans[i].getEnd() : -1;
            j++;
        }
        return new TokenSpans(new TokenizedText(outIds, outTypes, size < n), starts, ends);
    }

    /** How many tokens each of two texts keeps: the longer one gives up tokens first. */
    static int[] shareLongestFirst(int a, int b, int budget) {
        if (a + b <= budget) {
            return new int[] {a, b};
        }
        int half = budget / 2;
        if (a <= half) {
            return new int[] {a, budget - a};
        }
        if (b <= budget - half) {
            return new int[] {budget - b, b};
        }
        return new int[] {half, budget - half};
    }

    private String cap(String text) {
        int limit = maxLength * CHARS_PER_TOKEN_CAP;
        if (text.length() <= limit) {
            return text;
        }
        int cut = limit;
        // Cut at a whitespace so the last kept word tokenizes as it would in the full text.
        while (cut > limit / 2 && !Character.isWhitespace(text.charAt(cut))) {
            cut--;
        }
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut);
    }

    /**
     * Replaces unpaired surrogates with U+FFFD: Java strings may hold them, but they have no UTF-8
     * form and must not reach native code.
     */
    static String sanitize(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone =
                    Character.isHighSurrogate(c)
                            ? i + 1 >= text.length()
                                    || !Character.isLowSurrogate(text.charAt(i + 1))
                            : Character.isLowSurrogate(c)
                                    && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
            if (lone && sb == null) {
                sb = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(lone ? '\uFFFD' : c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static TokenizedText convert(Encoding e) {
        return new TokenizedText(toInts(e.getIds()), toInts(e.getTypeIds()), e.exceedMaxLength());
    }

    private static int[] toInts(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (int) values[i];
        }
        return out;
    }

    @Override
    public void close() {
        hf.close();
    }
}
