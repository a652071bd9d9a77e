package dev.bertstream.jobs.testutils;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Captures every log event of this JVM (Flink, the Kafka broker and clients, the job) at INFO and
 * above, message and stack trace, instead of printing them; {@link #close()} restores the logging
 * set-up.
 */
public final class LogCapture implements AutoCloseable {

    private final StringBuffer text = new StringBuffer();
    private final LoggerContext context;
    private final Appender appender;
    private final Map<String, Appender> removed = new HashMap<>();
    private final Level previousLevel;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        appender =
                new AbstractAppender(
                        "bert-stream-capture", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        StringBuilder line =
                                new StringBuilder()
                                        .append(event.getLevel())
                                        .append(' ')
                                        .append(event.getLoggerName())
                                        .append(" - ")
                                        .append(event.getMessage().getFormattedMessage())
                                        .append('\n');
                        if (event.getThrown() != null) {
                            StringWriter trace = new StringWriter();
                            event.getThrown().printStackTrace(new PrintWriter(trace));
                            line.append(trace);
                        }
                        text.append(line);
                    }
                };
        appender.start();
        removed.putAll(root.getAppenders());
        removed.keySet().forEach(root::removeAppender);
        root.addAppender(appender, Level.INFO, null);
        previousLevel = root.getLevel();
        root.setLevel(Level.INFO);
        context.updateLoggers();
    }

    /** Starts capturing. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything captured so far. */
    public String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(appender.getName());
        removed.values().forEach(a -> root.addAppender(a, null, null));
        root.setLevel(previousLevel);
        context.updateLoggers();
        appender.stop();
    }
}
