package dev.bertstream.jobs.config;

import dev.bertstream.jobs.inference.LanguageRouter;
import dev.bertstream.models.bundle.BundleTrust;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The language bundles of {@link JobOptions#LANGUAGE_MODELS} and their pins ({@link
 * JobOptions#LANGUAGE_MODEL_SHA256}), read and checked: entries are {@code LANG=VALUE} with a
 * language tag, no language twice, a pin only for a configured language, and, when {@link
 * JobOptions#MODEL_SHA256} pins the default bundle, a pin for every language bundle, so that adding
 * a language never lets an unpinned bundle in.
 *
 * @param bundles bundle reference per language tag (normalized, lower case), in configured order
 * @param sha256 pinned {@code bundle.json} digest per language tag; languages without a pin are
 *     absent
 */
@Internal
public record LanguageBundles(Map<String, String> bundles, Map<String, String> sha256) {

    public LanguageBundles {
        bundles = Collections.unmodifiableMap(new LinkedHashMap<>(bundles));
        sha256 = Collections.unmodifiableMap(new LinkedHashMap<>(sha256));
    }

    /** The language bundles {@code conf} configures; fails naming every problem. */
    public static LanguageBundles from(Configuration conf) {
        List<String> problems = new ArrayList<>();
        LanguageBundles result = read(conf, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(String.join("\n", problems));
        }
        return result;
    }

    /** What is wrong with the language bundles of {@code conf}, one message per problem. */
    static List<String> problems(Configuration conf) {
        List<String> problems = new ArrayList<>();
        read(conf, problems);
        return problems;
    }

    private static LanguageBundles read(Configuration conf, List<String> problems) {
        Map<String, String> bundles =
                entries(conf, JobOptions.LANGUAGE_MODELS, "zh=/models/chat-zh", problems);
        Map<String, String> pins =
                entries(conf, JobOptions.LANGUAGE_MODEL_SHA256, "zh=<64 hex digits>", problems);
        String pinKey = JobOptions.LANGUAGE_MODEL_SHA256.key();
        for (Map.Entry<String, String> pin : pins.entrySet()) {
            if (!bundles.containsKey(pin.getKey())) {
                problems.add(
                        String.format(
                                "%s pins a bundle for '%s', but %s has no '%s' entry; remove the"
                                        + " pin or add the bundle",
                                pinKey,
                                pin.getKey(),
                                JobOptions.LANGUAGE_MODELS.key(),
                                pin.getKey()));
                continue;
            }
            try {
                BundleTrust.none().withManifestSha256(pin.getValue());
            } catch (IllegalArgumentException e) {
                problems.add(pinKey + " (" + pin.getKey() + "): " + e.getMessage());
            }
        }
        if (conf.getOptional(JobOptions.MODEL_SHA256).isPresent()) {
            List<String> unpinned =
                    bundles.keySet().stream().filter(l -> !pins.containsKey(l)).toList();
            if (!unpinned.isEmpty()) {
                problems.add(
                        String.format(
                                "%s pins the default bundle, but the language bundles of %s are"
                                        + " not pinned; add %s to %s ('models info --model DIR'"
                                        + " prints a bundle's sha256), so that no bundle loads"
                                        + " unverified",
                                JobOptions.MODEL_SHA256.key(),
                                unpinned,
                                String.join(
                                        ";", unpinned.stream().map(l -> l + "=<sha256>").toList()),
                                pinKey));
            }
        }
        return new LanguageBundles(bundles, pins);
    }

    /** {@code LANG=VALUE} entries of {@code option}, by normalized language tag. */
    private static Map<String, String> entries(
            Configuration conf,
            ConfigOption<List<String>> option,
            String example,
            List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> values;
        try {
            values = conf.getOptional(option).orElse(List.of());
        } catch (IllegalArgumentException e) {
            return out; // reported as an invalid value already
        }
        for (String entry : values) {
            int eq = entry.indexOf('=');
            String lang = eq < 0 ? "" : entry.substring(0, eq).trim();
            String value = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (eq < 0 || lang.isEmpty() || value.isEmpty()) {
                problems.add(
                        String.format(
                                "%s: cannot read '%s'; write LANG=VALUE entries separated by ';',"
                                        + " e.g. %s",
                                option.key(), entry, example));
            } else if (!LanguageRouter.LANGUAGE_TAG.matcher(lang).matches()) {
                problems.add(
                        String.format(
                                "%s: '%s' is not a language tag; use the event's 'lang' value"
                                        + " (BCP 47, e.g. zh, ja, pt-br)",
                                option.key(), lang));
            } else if (out.put(LanguageRouter.normalize(lang), value) != null) {
                problems.add(
                        String.format("%s: language '%s' is listed twice", option.key(), lang));
            }
        }
        return out;
    }
}
