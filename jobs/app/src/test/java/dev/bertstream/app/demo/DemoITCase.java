package dev.bertstream.app.demo;

import dev.bertstream.app.cli.BertStreamCli;
import dev.bertstream.jobs.testutils.TestBundles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shortened {@code bert-stream demo --seconds N}: broker, job, traffic and accounting,
 * in-process.
 */
class DemoITCase {

    @TempDir Path tmp;

    @Test
    void boundedDemoSeesEverySentIdExactlyOnce() throws Exception {
        Path bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit =
                    BertStreamCli.commandLine()
                            .execute(
                                    "demo",
                                    "--seconds",
                                    "8",
                                    "--rate",
                                    "100",
                                    "--model",
                                    bundle.toString(),
                                    "--web-ui-port",
                                    "0",
                                    "--no-live");
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(
                printed.lines()
                        .filter(l -> l.startsWith("accounting:") || l.startsWith("summary:"))
                        .reduce("", (a, b) -> a + b + "\n"));
        assertThat(exit).isZero();
        assertThat(printed)
                .containsPattern(
                        "accounting: in=[1-9]\\d* labeled=[1-9]\\d* dlq=\\d+ lost=0 duplicates=0");
    }
}
