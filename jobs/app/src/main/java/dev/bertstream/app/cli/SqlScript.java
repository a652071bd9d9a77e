package dev.bertstream.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink SQL script as {@code bert-stream sql} runs it: {@code ${name}} placeholders replaced,
 * {@code --} comments dropped, split into statements at the semicolons outside string literals.
 */
final class SqlScript {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'([^']+)'\\s*=\\s*'([^']*)'");

    private SqlScript() {}

    /**
     * The key and value of a {@code SET 'key' = 'value'} statement, which only Flink's SQL client
     * understands ({@code TableEnvironment.executeSql} refuses it), or empty for other statements.
     */
    static Optional<Map.Entry<String, String>> setOption(String statement) {
        Matcher m = SET.matcher(statement.strip());
        return m.matches() ? Optional.of(Map.entry(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The names of the {@code ${name}} placeholders in {@code script}, in order of appearance. */
    static List<String> placeholders(String script) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(stripComments(script));
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * The statements of {@code script} with every placeholder replaced by {@code values}; fails
     * naming a placeholder that has no value.
     */
    static List<String> statements(String script, Map<String, String> values) {
        return statements(
                script,
                name -> {
                    String v = values.get(name);
                    if (v == null) {
                        throw new IllegalArgumentException(
                                "The script uses ${"
                                        + name
                                        + "}, which has no value: pass --var "
                                        + name
                                        + "=VALUE");
                    }
                    return v;
                });
    }

    private static List<String> statements(String script, Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(stripComments(script));
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(text, Matcher.quoteReplacement(values.apply(m.group(1))));
        }
        m.appendTail(text);
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a literal toggles twice: still quoted
            }
            if (c == ';' && !quoted) {
                add(out, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(out, current);
        return out;
    }

    private static void add(List<String> out, StringBuilder statement) {
        String s = statement.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }

    /** Drops {@code --} comments that start a line (after blanks): literals may hold "--". */
    private static String stripComments(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                sb.append(line);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
