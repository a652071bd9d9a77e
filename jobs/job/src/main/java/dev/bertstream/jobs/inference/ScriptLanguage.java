package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.Internal;

import java.lang.Character.UnicodeScript;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Guesses a text's language from the script it is written in (Han → {@code zh}, kana → {@code ja},
 * Hangul → {@code ko}, ...), for events that arrive without a {@code lang}. Scripts that many
 * languages share map to the most widely used one (Cyrillic → {@code ru}, Arabic → {@code ar},
 * Devanagari → {@code hi}); producers of other languages in those scripts should set {@code lang}.
 * Latin text has no guess: it goes to the default bundle.
 *
 * <p>The dominant script wins, counted in words: one per character for scripts written without
 * spaces (Han, kana, Thai, ...), one per run of letters otherwise, so "我的iPhone坏了" is Chinese and
 * "I love 寿司 so much" is not. Japanese mixes kanji and kana: Han counts as Japanese when the text
 * has any kana. {@link Character.UnicodeScript} rather than ICU keeps ICU's 14 MB out of the job
 * jar; script detection needs nothing more.
 */
@Internal
public final class ScriptLanguage {

    private static final Map<UnicodeScript, String> LANGUAGES = new EnumMap<>(UnicodeScript.class);

    static {
        LANGUAGES.put(UnicodeScript.HAN, "zh");
        LANGUAGES.put(UnicodeScript.HIRAGANA, "ja");
        LANGUAGES.put(UnicodeScript.KATAKANA, "ja");
        LANGUAGES.put(UnicodeScript.HANGUL, "ko");
        LANGUAGES.put(UnicodeScript.THAI, "th");
        LANGUAGES.put(UnicodeScript.LAO, "lo");
        LANGUAGES.put(UnicodeScript.KHMER, "km");
        LANGUAGES.put(UnicodeScript.MYANMAR, "my");
        LANGUAGES.put(UnicodeScript.GREEK, "el");
        LANGUAGES.put(UnicodeScript.HEBREW, "he");
        LANGUAGES.put(UnicodeScript.GEORGIAN, "ka");
        LANGUAGES.put(UnicodeScript.ARMENIAN, "hy");
        LANGUAGES.put(UnicodeScript.CYRILLIC, "ru");
        LANGUAGES.put(UnicodeScript.ARABIC, "ar");
        LANGUAGES.put(UnicodeScript.DEVANAGARI, "hi");
        LANGUAGES.put(UnicodeScript.BENGALI, "bn");
        LANGUAGES.put(UnicodeScript.TAMIL, "ta");
    }

    /** Scripts written without spaces between words: each character counts as a word. */
    private static final Set<UnicodeScript> UNSPACED =
            Set.of(
                    UnicodeScript.HAN,
                    UnicodeScript.HIRAGANA,
                    UnicodeScript.KATAKANA,
                    UnicodeScript.THAI,
                    UnicodeScript.LAO,
                    UnicodeScript.KHMER,
                    UnicodeScript.MYANMAR);

    /**
     * Characters read at most: a text's opening says its script as well as the whole, and the
     * router runs on the task thread, again for every batch the event waits for.
     */
    static final int MAX_SCANNED_CHARS = 1024;

    private ScriptLanguage() {}

    /**
     * The language of the script most of {@code text}'s words (in its first {@value
     * #MAX_SCANNED_CHARS} characters) are written in, or {@code null} when that is Latin, a script
     * without a language here, or there are no letters.
     */
    public static String detect(String text) {
        Map<UnicodeScript, Integer> words = new EnumMap<>(UnicodeScript.class);
        UnicodeScript previous = null;
        int end = Math.min(text.length(), MAX_SCANNED_CHARS);
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) {
                previous = null;
                continue;
            }
            UnicodeScript script = UnicodeScript.of(cp);
            if (UNSPACED.contains(script) || script != previous) {
                words.merge(script, 1, Integer::sum);
            }
            previous = script;
        }
        int kana =
                words.getOrDefault(UnicodeScript.HIRAGANA, 0)
                        + words.getOrDefault(UnicodeScript.KATAKANA, 0);
        if (kana > 0) {
            words.remove(UnicodeScript.HIRAGANA);
            words.remove(UnicodeScript.KATAKANA);
            words.put(UnicodeScript.KATAKANA, kana + words.getOrDefault(UnicodeScript.HAN, 0));
            words.remove(UnicodeScript.HAN);
        }
        UnicodeScript best = null;
        int bestWords = 0;
        for (Map.Entry<UnicodeScript, Integer> e : words.entrySet()) {
            // Ties go to the script met first in enum order, Latin (early) included: no guess.
            if (e.getValue() > bestWords) {
                best = e.getKey();
                bestWords = e.getValue();
            }
        }
        return best == null ? null : LANGUAGES.get(best);
    }
}
