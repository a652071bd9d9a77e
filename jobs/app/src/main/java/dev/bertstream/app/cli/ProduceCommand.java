package dev.bertstream.app.cli;

import dev.bertstream.events.TextEvent;
import dev.bertstream.serde.JsonTextEventParser;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code bert-stream produce}: writes TextEvents given as JSON lines to a topic, for debugging. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description =
                "Read TextEvents as JSON lines ({\"event_id\":..,\"key\":..,\"text\":..,\"source\":..}) from "
                        + "a file or standard input and write them to a topic, Avro-encoded.")
final class ProduceCommand implements Callable<Integer> {

    @Mixin KafkaClientOptions kafka;

    @Option(
            names = "--topic",
            defaultValue = "chat.text-events",
            description = "Topic. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(
            names = "--format",
            defaultValue = "SINGLE_OBJECT",
            description =
                    "SINGLE_OBJECT or CONFLUENT (with --schema-id). Default: ${DEFAULT-VALUE}.")
    WireFormat format;

    @Option(
            names = "--schema-id",
            defaultValue = "1",
            description = "Confluent schema id. Default: ${DEFAULT-VALUE}.")
    int schemaId;

    @Parameters(
            arity = "0..1",
            paramLabel = "FILE",
            description = "JSON-lines file (default: standard input).")
    Path file;

    /** The --kafka-config file, then the command's own settings. */
    Properties clientProperties() {
        Properties p = kafka.properties();
        p.put("acks", "all");
        return p;
    }

    @Override
    public Integer call() throws Exception {
        JsonTextEventParser parser = JsonTextEventParser.withDefaultLimits();
        RecordEncoder<TextEvent> writer = RecordEncoder.of(TextEvent.class, format, schemaId);
        int sent = 0;
        int line = 0;
        try (BufferedReader in =
                        file == null
                                ? new BufferedReader(
                                        new InputStreamReader(System.in, StandardCharsets.UTF_8))
                                : Files.newBufferedReader(file, StandardCharsets.UTF_8);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                clientProperties(),
                                new ByteArraySerializer(),
                                new ByteArraySerializer())) {
            for (String json; (json = in.readLine()) != null; ) {
                line++;
                if (json.isBlank()) {
                    continue;
                }
                TextEvent e;
                try {
                    e =
                            parser.parse(
                                    json.getBytes(StandardCharsets.UTF_8),
                                    System.currentTimeMillis());
                } catch (Exception ex) {
                    throw new IllegalArgumentException(
                            (file == null ? "stdin" : file) + ":" + line + ": " + ex.getMessage(),
                            ex);
                }
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        e.getKey().getBytes(StandardCharsets.UTF_8),
                                        writer.encode(e)))
                        .get();
                sent++;
            }
        }
        System.err.printf("%d events written to %s%n", sent, topic);
        return 0;
    }
}
