package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.cli.BertStreamCli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run} against a port nobody listens on fails within the check's timeout. */
class KafkaStartupCheckTest {

    @Test
    void unreachableBrokerFailsWithinTheTimeoutNamingTheServers() {
        StringWriter err = new StringWriter();
        CommandLine cli = BertStreamCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();

        int exit =
                cli.execute(
                        "run",
                        "--web-ui-port",
                        "0",
                        "--kafka.bootstrap-servers",
                        "localhost:1",
                        "--kafka.startup-check-timeout",
                        "2 s",
                        "--inference.model",
                        "/no/model/needed/before/kafka/answers",
                        "--serde.input.format",
                        "SINGLE_OBJECT",
                        "--serde.output.format",
                        "SINGLE_OBJECT");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains(
                        "Kafka at localhost:1 (kafka.bootstrap-servers) did not answer within 2 s")
                .contains("kafka.startup-check-timeout");
        // 2 s of waiting plus client start-up and close; never the endless retrying of the sources.
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }
}
