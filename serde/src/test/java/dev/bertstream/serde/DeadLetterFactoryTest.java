package dev.bertstream.serde;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.RecordHeader;
import dev.bertstream.events.RecordOrigin;
import dev.bertstream.serde.testutils.FakeContexts;
import dev.bertstream.serde.testutils.TestEvents;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterFactoryTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE =
            (Integer) ProducerConfig.configDef().defaultValues().get("max.request.size");

    private final DeadLetterFactory factory =
            new DeadLetterFactory(DeadLetterLimits.defaults(), CLOCK);

    @Test
    void aRecordOfOneMebibyteWithALargeKeyAndManyHeadersYieldsADeadLetterKafkaAccepts()
            throws Exception {
        byte[] value = filled(1024 * 1024, 'v');
        byte[] key = filled(200 * 1024, 'k');
        List<RecordHeader> headers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            headers.add(new RecordHeader("h" + i, ByteBuffer.wrap(filled(1024, 'h'))));
        }
        RecordOrigin origin = origin(key, value, headers);

        DeadLetter letter =
                factory.create(origin, "inference", DeadLetterReason.INFERENCE_FAILED, boom());
        ProducerRecord<byte[], byte[]> record = serialize(letter);

        long size = record.key().length + record.value().length;
        assertThat(size)
                .isLessThanOrEqualTo(DeadLetterLimits.defaults().recordBytesBound())
                .isLessThan(KAFKA_DEFAULT_MAX_REQUEST_SIZE);
        assertThat(letter.getValueTruncated()).isTrue();
        assertThat(letter.getValueSize()).isEqualTo(value.length);
        assertThat(letter.getKeyTruncated()).isTrue();
        assertThat(letter.getKeySize()).isEqualTo(key.length);
        assertThat(record.key()).hasSize(DeadLetterLimits.defaults().maxKeyBytes());
        assertThat(letter.getHeadersTruncated()).isTrue();
        assertThat(letter.getHeadersSize()).isEqualTo(100 * 1024 + 10 * 2 + 90 * 3);
        // The kept headers are the leading ones, whole.
        assertThat(letter.getHeaders())
                .isNotEmpty()
                .isEqualTo(headers.subList(0, letter.getHeaders().size()));
        assertThat(letter.getSourcePartition()).isEqualTo(origin.getPartition());
        assertThat(letter.getSourceOffset()).isEqualTo(origin.getOffset());
    }

    @Test
    void aSmallRecordIsKeptWhole() {
        RecordOrigin origin = TestEvents.origin();

        DeadLetter letter =
                factory.create(origin, "inference", DeadLetterReason.INFERENCE_FAILED, boom());

        assertThat(letter.getKey()).isEqualTo(origin.getKey());
        assertThat(letter.getValue()).isEqualTo(origin.getValue());
        assertThat(letter.getHeaders()).isEqualTo(origin.getHeaders());
        assertThat(letter.getKeyTruncated()).isFalse();
        assertThat(letter.getValueTruncated()).isFalse();
        assertThat(letter.getHeadersTruncated()).isFalse();
        assertThat(letter.getSourceTopic()).isEqualTo(origin.getTopic());
        assertThat(letter.getSourceTimestamp()).isEqualTo(origin.getTimestamp());
        assertThat(letter.getReason()).isEqualTo("INFERENCE_FAILED");
        assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(letter.getErrorMessage()).isEqualTo("model refused the text");
        assertThat(letter.getFailedAt()).isEqualTo(CLOCK.instant());
    }

    @Test
    void aLongErrorMessageIsCapped() {
        String message = "x".repeat(DeadLetterLimits.MAX_MESSAGE_CHARS * 3);

        DeadLetter letter =
                factory.create(
                        TestEvents.origin(),
                        "inference",
                        DeadLetterReason.INFERENCE_FAILED,
                        "E",
                        message);

        assertThat(letter.getErrorMessage()).hasSize(DeadLetterLimits.MAX_MESSAGE_CHARS + 1);
    }

    @Test
    void negativeLimitsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> new DeadLetterLimits(1, -1, 1))
                .hasMessageContaining(SerdeOptions.DEAD_LETTER_MAX_KEY_BYTES.key());
    }

    private static ProducerRecord<byte[], byte[]> serialize(DeadLetter letter) throws Exception {
        DeadLetterSerializationSchema schema =
                DeadLetterSerializationSchema.builder("dlq")
                        .setFormat(WireFormat.SINGLE_OBJECT)
                        .build();
        FakeContexts.Sink sink = new FakeContexts.Sink();
        schema.open(new FakeContexts.Init(), sink);
        return schema.serialize(letter, sink, null);
    }

    private static RecordOrigin origin(byte[] key, byte[] value, List<RecordHeader> headers) {
        return RecordOrigin.newBuilder(TestEvents.origin())
                .setKey(ByteBuffer.wrap(key))
                .setValue(ByteBuffer.wrap(value))
                .setHeaders(headers)
                .build();
    }

    private static IllegalStateException boom() {
        return new IllegalStateException("model refused the text");
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }
}
