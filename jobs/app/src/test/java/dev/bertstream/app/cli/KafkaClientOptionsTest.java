package dev.bertstream.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientOptionsTest {

    @Test
    void theFileIsReadAndTheOptionsBootstrapServersWin(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("client.properties");
        Files.writeString(config, "security.protocol=SASL_SSL\nbootstrap.servers=from-file:9093\n");
        KafkaClientOptions kafka = new KafkaClientOptions();
        new CommandLine(kafka)
                .parseArgs(
                        "--bootstrap-servers", "broker:9092", "--kafka-config", config.toString());

        Properties p = kafka.properties();

        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("broker:9092");
    }

    @Test
    void producerAndConsumerKeepTheirOwnSettingsOnTop() {
        ProduceCommand produce = new ProduceCommand();
        new CommandLine(produce).parseArgs("--bootstrap-servers", "b:1");
        ConsumeCommand consume = new ConsumeCommand();
        new CommandLine(consume).parseArgs("--bootstrap-servers", "b:1", "--topic", "t");

        assertThat(produce.clientProperties())
                .containsEntry("bootstrap.servers", "b:1")
                .containsEntry("acks", "all");
        assertThat(consume.clientProperties())
                .containsEntry("bootstrap.servers", "b:1")
                .containsEntry("isolation.level", "read_committed")
                .containsKey("group.id");
    }

    @Test
    void everyKafkaCommandRequiresBootstrapServersAndOffersTheSameOptions() {
        String kafkaConfig =
                new CommandLine(new KafkaClientOptions())
                        .getCommandSpec()
                        .findOption("--kafka-config")
                        .description()[0];
        for (Object command :
                List.of(new ProduceCommand(), new ConsumeCommand(), new RolloutCommand())) {
            CommandLine cli = new CommandLine(command);
            String name = cli.getCommandName();
            assertThat(cli.getCommandSpec().findOption("--bootstrap-servers").required())
                    .as(name)
                    .isTrue();
            assertThat(cli.getCommandSpec().findOption("--kafka-config").description())
                    .as(name)
                    .containsExactly(kafkaConfig);
            assertThatThrownBy(() -> cli.parseArgs())
                    .as(name)
                    .isInstanceOf(CommandLine.MissingParameterException.class)
                    .hasMessageContaining("--bootstrap-servers");
        }
    }
}
