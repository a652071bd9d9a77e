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

/**
 * BERT WordPiece tokenization through the Hugging Face tokenizers library (Rust, via DJL's bundled
 * natives), so ids match the reference implementation exactly. Truncates to a max length, never
 * pads (the predictor pads each batch to its own longest text) and reports truncation. Thread-safe.
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

    private BertTokenizer(String json, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException(
                    "max length must be >= 2 ([CLS] and [SEP]), got " + maxLength);
        }
        this.json = json;
        this.maxLength = maxLength;
        try {
            this.hf =
                    HuggingFaceTokenizer.newInstance(
                            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                            Map.of(
                                    "maxLength",
                                    String.valueOf(maxLength),
                                    "truncation",
                                    "true",
                                    "padding",
                                    "false",
                                    "addSpecialTokens",
                                    "true"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "Not a valid Hugging Face tokenizer definition: " + e.getMessage(), e);
        }
    }

    /** Loads a Hugging Face {@code tokenizer.json}. */
    public static BertTokenizer fromTokenizerJson(Path file, int maxLength) {
        try {
            return new BertTokenizer(Files.readString(file, StandardCharsets.UTF_8), maxLength);
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
                    VocabTokenizerJson.fromVocab(vocabTxt, lowercase, stripAccents), maxLength);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read vocabulary " + vocabTxt, e);
        }
    }

    /** Max tokens per text, [CLS] and [SEP] included. */
    public int maxLength() {
        return maxLength;
    }

    /** Writes the tokenizer definition as a Hugging Face {@code tokenizer.json}. */
    public void save(Path file) throws IOException {
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    /** Tokenizes one text. */
    public TokenizedText encode(String text) {
        text = sanitize(text);
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

    /** Tokenizes a sentence pair ({@code [CLS] a [SEP] b [SEP]}, segment ids 0 then 1). */
    public TokenizedText encodePair(String a, String b) {
        return convert(hf.encode(cap(sanitize(a)), cap(sanitize(b))));
    }

    /** Tokenizes many texts; the native library spreads the work over its own threads. */
    public List<TokenizedText> encodeBatch(List<String> texts) {
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
