package dev.bertstream.app.demo;

import dev.bertstream.app.cli.BertStreamCli;
import dev.bertstream.jobs.testutils.TestBundles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        String printed = demo("--model", bundle.toString());
        assertThat(printed)
                .containsPattern(
                        "accounting: in=[1-9]\\d* labeled=[1-9]\\d* dlq=\\d+ lost=0 duplicates=0");
        // The latency figures come with the CPU the demo had.
        assertThat(printed).containsPattern("cpu: this process used \\d+\\.\\d\\d of \\d+ cores");
    }

    @Test
    void withAChineseBundleTheDemosChineseLinesAreLabeledByIt() throws Exception {
        Path english = TestBundles.chatBundle(tmp.resolve("en"), "1");
        Path chinese = TestBundles.chineseBundle(tmp.resolve("zh"), "1");
        String printed = demo("--model", english.toString(), "--language-model", "zh=" + chinese);
        // Every Chinese line, and only those, went to the Chinese bundle.
        assertThat(printed)
                .containsPattern(
                        "models: "
                                + TestBundles.CHAT_NAME
                                + " [1-9]\\d* \\(Chinese 0\\), "
                                + TestBundles.CHINESE_NAME
                                + " ([1-9]\\d*) \\(Chinese \\1\\)");
        assertThat(printed).containsPattern("lost=0 duplicates=0");
    }

    /** Runs a bounded demo with {@code args}; returns what it printed, once it exited 0. */
    private static String demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            List<String> all =
                    new ArrayList<>(
                            List.of(
                                    "demo",
                                    "--seconds",
                                    "8",
                                    "--rate",
                                    "100",
                                    "--web-ui-port",
                                    "0",
                                    "--no-live"));
            all.addAll(List.of(args));
            exit = BertStreamCli.commandLine().execute(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(
                printed.lines()
                        .filter(
                                l ->
                                        l.startsWith("accounting:")
                                                || l.startsWith("summary:")
                                                || l.startsWith("models:"))
                        .reduce("", (a, b) -> a + b + "\n"));
        assertThat(exit).isZero();
        return printed;
    }
}
