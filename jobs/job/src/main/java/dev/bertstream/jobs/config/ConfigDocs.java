package dev.bertstream.jobs.config;

import dev.bertstream.serde.SerdeOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders every job and serde option as the Markdown table in the README (a test keeps them in
 * sync).
 */
@Internal
public final class ConfigDocs {

    private ConfigDocs() {}

    /** The table, one row per option: key, default, description. */
    public static String markdownTable() {
        return markdownTable(allOptions());
    }

    /**
     * The same table for {@code options} (the SQL model provider documents its {@code WITH} options
     * with it).
     */
    public static String markdownTable(List<ConfigOption<?>> options) {
        StringBuilder sb = new StringBuilder("| key | default | description |\n|---|---|---|\n");
        for (ConfigOption<?> o : options) {
            Object def = o.hasDefaultValue() ? o.defaultValue() : null;
            String description =
                    new HtmlFormatter()
                            .format(o.description())
                            .replace("|", "\\|")
                            .replace("\n", " ");
            sb.append("| `")
                    .append(o.key())
                    .append("` | ")
                    .append(def == null ? "(none)" : "`" + format(def) + "`")
                    .append(" | ")
                    .append(description)
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Every option the job reads: {@link JobOptions#all()} in documentation order, then every
     * {@code ConfigOption} constant of {@link SerdeOptions}. The deploy tests check the manifests'
     * keys against this list.
     */
    public static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> all = new ArrayList<>(JobOptions.all());
        for (Field f : SerdeOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    all.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return all;
    }

    private static String format(Object value) {
        if (value instanceof java.time.Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
        return String.valueOf(value);
    }

    /** Prints the table (used to refresh the README). */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
