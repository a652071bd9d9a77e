package dev.bertstream.jobs.inference;

import dev.bertstream.events.TextEvent;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Picks the model bundle of an event: the language bundle of its {@code lang} tag when it has one,
 * else the language bundle of the script its text is written in ({@link ScriptLanguage}), else the
 * default bundle. A {@code lang} set by the producer is trusted over the text: an event tagged
 * {@code en} goes to the default bundle even when written in Chinese.
 *
 * <p>Tags match on their most specific configured prefix, case-insensitively: with a {@code zh}
 * bundle, {@code zh}, {@code zh-CN} and {@code zh_Hant_TW} all go to it; with {@code zh} and {@code
 * zh-hant} bundles, {@code zh-Hant-TW} goes to the latter. The route of an event depends only on
 * the event and the configured languages, so a restored job routes its buffered events again
 * without keeping routes in state.
 */
@Internal
public final class LanguageRouter implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The route of the default bundle ({@code inference.model}); never a language tag. */
    public static final String DEFAULT = "default";

    /** A BCP 47 language tag as configured: a 2-3 letter language, then subtags. */
    public static final Pattern LANGUAGE_TAG =
            Pattern.compile("[a-z]{2,3}(-[a-z0-9]{1,8})*", Pattern.CASE_INSENSITIVE);

    private final Set<String> languages;

    /** A router to the bundles of {@code languages} (tags as {@link #LANGUAGE_TAG} reads them). */
    public LanguageRouter(Collection<String> languages) {
        this.languages = new TreeSet<>();
        for (String tag : languages) {
            if (!LANGUAGE_TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("Not a language tag: '" + tag + "'");
            }
            this.languages.add(normalize(tag));
        }
    }

    /** The languages with a bundle of their own, normalized (lower case). */
    public Set<String> languages() {
        return languages;
    }

    /** The route of {@code event}: a configured language, or {@link #DEFAULT}. */
    public String route(TextEvent event) {
        if (languages.isEmpty()) {
            return DEFAULT;
        }
        String lang = event.getLang();
        if (lang != null && !lang.isBlank() && !isUndetermined(lang)) {
            return bestMatch(normalize(lang));
        }
        String detected = ScriptLanguage.detect(event.getText());
        return detected == null ? DEFAULT : bestMatch(detected);
    }

    /** The longest configured prefix of {@code tag} (at subtag boundaries), else the default. */
    private String bestMatch(String tag) {
        String candidate = tag;
        while (true) {
            if (languages.contains(candidate)) {
                return candidate;
            }
            int dash = candidate.lastIndexOf('-');
            if (dash < 0) {
                return DEFAULT;
            }
            candidate = candidate.substring(0, dash);
        }
    }

    /** {@code und} is BCP 47's "undetermined": detect as if no tag were set. */
    private static boolean isUndetermined(String tag) {
        return normalize(tag).equals("und") || normalize(tag).startsWith("und-");
    }

    /** Lower case, {@code _} as {@code -} (Java's and POSIX locales write {@code zh_CN}). */
    public static String normalize(String tag) {
        return tag.trim().replace('_', '-').toLowerCase(Locale.ROOT);
    }
}
