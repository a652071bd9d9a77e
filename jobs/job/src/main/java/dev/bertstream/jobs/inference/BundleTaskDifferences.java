package dev.bertstream.jobs.inference;

import dev.bertstream.models.bundle.BundleManifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a language bundle's tasks differ from the default bundle's, as start-up warnings. Bundles may
 * differ (a Chinese bundle without an intent head is fine): the routing rules read results by task
 * name and label, so an event labeled by a bundle without the moderation or intent task is neither
 * flagged nor routed, only written to the labeled topic. The warnings make that visible before
 * anyone wonders why no Chinese line reaches the moderation topic.
 */
final class BundleTaskDifferences {

    private BundleTaskDifferences() {}

    /** One sentence per difference between the {@code language} bundle and the default bundle. */
    static List<String> of(
            String language, BundleManifest defaultBundle, BundleManifest languageBundle) {
        List<String> out = new ArrayList<>();
        String what =
                String.format(
                        "The '%s' bundle (%s %s)",
                        language, languageBundle.name(), languageBundle.version());
        Map<String, BundleManifest.Task> own = byName(languageBundle);
        List<String> missing = new ArrayList<>();
        for (BundleManifest.Task task : defaultBundle.tasks()) {
            BundleManifest.Task other = own.get(task.name());
            if (other == null) {
                missing.add(task.name());
            } else if (!other.labels().equals(task.labels())) {
                out.add(
                        String.format(
                                "%s labels task '%s' with %s, the default bundle with %s: routing"
                                        + " rules on that task see the labels of the bundle that"
                                        + " labeled each event",
                                what, task.name(), other.labels(), task.labels()));
            }
        }
        if (!missing.isEmpty()) {
            out.add(
                    String.format(
                            "%s has no task %s of the default bundle: the events it labels carry no"
                                    + " result for them, so routing.moderation-task and"
                                    + " routing.intent-task never flag or route them when they"
                                    + " name one of these",
                            what, missing));
        }
        if (languageBundle.name().equals(defaultBundle.name())
                && languageBundle.version().equals(defaultBundle.version())) {
            out.add(
                    String.format(
                            "%s has the default bundle's name and version: labeled events name the"
                                    + " model that labeled them by these, give the bundles"
                                    + " different names",
                            what));
        }
        return out;
    }

    private static Map<String, BundleManifest.Task> byName(BundleManifest m) {
        Map<String, BundleManifest.Task> out = new LinkedHashMap<>();
        m.tasks().forEach(t -> out.put(t.name(), t));
        return out;
    }
}
