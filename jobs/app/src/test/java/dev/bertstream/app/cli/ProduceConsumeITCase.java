package dev.bertstream.app.cli;

import dev.bertstream.app.local.EmbeddedKafkaCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code produce} JSON lines into a real broker and {@code consume} them back as JSON. */
class ProduceConsumeITCase {

    @TempDir Path tmp;

    @Test
    void producedEventsComeBackDecoded() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
            kafka.createTopics(1, "events");
            Path file = tmp.resolve("events.jsonl");
            Files.writeString(
                    file,
                    """
                    {"event_id":"a1","key":"c1","text":"where is my parcel","source":"cli","created_at":1700000000000}
                    {"event_id":"a2","key":"c2","text":"你好","source":"cli","created_at":1700000000001}
                    """);
            assertThat(
                            BertStreamCli.commandLine()
                                    .execute(
                                            "produce",
                                            "--bootstrap-servers",
                                            kafka.bootstrapServers(),
                                            "--topic",
                                            "events",
                                            file.toString()))
                    .isZero();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream old = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                assertThat(
                                BertStreamCli.commandLine()
                                        .execute(
                                                "consume",
                                                "--bootstrap-servers",
                                                kafka.bootstrapServers(),
                                                "--topic",
                                                "events",
                                                "--max",
                                                "2"))
                        .isZero();
            } finally {
                System.setOut(old);
            }
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("\"a1\"", "where is my parcel", "\"a2\"", "你好");

            Path bad = tmp.resolve("bad.jsonl");
            Files.writeString(
                    bad,
                    "{\"event_id\":\"ok\",\"key\":\"k\",\"text\":\"t\",\"source\":\"s\",\"created_at\":1}\n{\"event_id\": 3}\n");
            StringWriter err = new StringWriter();
            var cli = BertStreamCli.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(
                            cli.execute(
                                    "produce",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--topic",
                                    "events",
                                    bad.toString()))
                    .isEqualTo(1);
            assertThat(err.toString()).contains("bad.jsonl:2");
        }
    }
}
