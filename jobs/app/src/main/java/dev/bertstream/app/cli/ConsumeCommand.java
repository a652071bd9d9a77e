package dev.bertstream.app.cli;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code bert-stream consume}: prints a topic's Avro records as JSON, reading committed data only.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description =
                "Read a topic from the beginning (read_committed) and print its records as JSON, one per line. "
                        + "Single-object encoded LabeledEvents, DeadLetters and TextEvents are recognised by their schema "
                        + "fingerprint.")
final class ConsumeCommand implements Callable<Integer> {

    @Mixin KafkaClientOptions kafka;

    @Option(names = "--topic", required = true, description = "Topic to read.")
    String topic;

    @Option(
            names = "--max",
            defaultValue = "0",
            description = "Stop after N records (0: keep reading).")
    long max;

    @Option(
            names = "--idle-seconds",
            defaultValue = "0",
            description = "Stop after N seconds without records (0: never).")
    long idleSeconds;

    /**
     * The --kafka-config file, then the command's own settings; a group.id from the file is kept (a
     * secured cluster grants READ on named groups only).
     */
    Properties clientProperties() {
        Properties p = kafka.properties();
        p.putIfAbsent("group.id", "bert-stream-consume-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        return p;
    }

    @Override
    public Integer call() {
        long count = 0;
        long lastRecord = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        clientProperties(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (max <= 0 || count < max) {
                var records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    System.out.println(decode(r.value()));
                    lastRecord = System.nanoTime();
                    if (max > 0 && ++count >= max) {
                        break;
                    }
                }
                if (idleSeconds > 0
                        && System.nanoTime() - lastRecord > idleSeconds * 1_000_000_000L) {
                    break;
                }
            }
        }
        return 0;
    }

    /** Decodes with whichever generated class recognises the single-object fingerprint. */
    static String decode(byte[] value) {
        if (value == null) {
            return "null";
        }
        ByteBuffer buf = ByteBuffer.wrap(value);
        for (Decoder d :
                new Decoder[] {
                    LabeledEvent::fromByteBuffer,
                    DeadLetter::fromByteBuffer,
                    TextEvent::fromByteBuffer
                }) {
            try {
                return d.decode(buf.duplicate()).toString();
            } catch (Exception ignored) {
                // Not this type; try the next.
            }
        }
        return "{\"undecodable\": " + value.length + " bytes}";
    }

    private interface Decoder {
        Object decode(ByteBuffer b) throws Exception;
    }
}
