package dev.bertstream.jobs.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

import java.util.EnumSet;

/**
 * Renders an option's {@link org.apache.flink.configuration.description.Description} as plain text
 * for terminal messages ({@code Description.toString()} is the object's identity, and Flink's
 * {@code HtmlFormatter} escapes for HTML).
 */
final class PlainTextFormatter extends Formatter {

    /** The description of {@code option} as one line of plain text. */
    static String describe(ConfigOption<?> option) {
        return new PlainTextFormatter().format(option.description());
    }

    @Override
    protected void formatLink(StringBuilder state, String link, String description) {
        state.append(description).append(" (").append(link).append(')');
    }

    @Override
    protected void formatLineBreak(StringBuilder state) {
        state.append(' ');
    }

    @Override
    protected void formatText(
            StringBuilder state,
            String format,
            String[] elements,
            EnumSet<TextElement.TextStyle> styles) {
        state.append(String.format(format, (Object[]) elements));
    }

    @Override
    protected void formatList(StringBuilder state, String[] entries) {
        state.append(String.join("; ", entries));
    }

    @Override
    protected Formatter newInstance() {
        return new PlainTextFormatter();
    }
}
