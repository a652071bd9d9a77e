package dev.bertstream.models.testutils;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of a picocli command: exit code, standard output, and picocli's error stream
 * (where domain failures print "error: message", as the real CLI's handler does).
 */
public record CommandRun(int exit, String out, String err) {

    /** Runs {@code command} with {@code args}, capturing {@code System.out} meanwhile. */
    public static CommandRun of(Object command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(command);
            cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            cli.setExecutionExceptionHandler(
                    (ex, cmd, parsed) -> {
                        cmd.getErr().println("error: " + ex.getMessage());
                        return 1;
                    });
            int exit = cli.execute(args);
            return new CommandRun(
                    exit,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }
}
