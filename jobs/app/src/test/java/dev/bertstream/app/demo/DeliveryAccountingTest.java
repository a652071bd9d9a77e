package dev.bertstream.app.demo;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryAccountingTest {

    @Test
    void aDuplicateDoesNotCancelALossInAnotherTopic() {
        DeliveryAccounting a = new DeliveryAccounting();
        a.sentEvent("e-1");
        a.sentEvent("e-2");
        a.sentMalformed(0, 7);

        a.labeled("e-1");
        a.labeled("e-2");
        a.labeled("e-2"); // one duplicate...
        // ...and the malformed record's dead letter never arrives: totals would balance (3 = 3).

        DeliveryAccounting.Snapshot s = a.snapshot();
        assertThat(s.line()).isEqualTo("in=3 labeled=3 dlq=0 lost=1 duplicates=1");
        assertThat(s.exact()).isFalse();
    }

    @Test
    void deadLettersCountByOffsetWhenDecodingFailedAndByEventIdWhenInferenceFailed() {
        DeliveryAccounting a = new DeliveryAccounting();
        a.sentEvent("e-1");
        a.sentEvent("e-2");
        a.sentMalformed(1, 42);

        a.labeled("e-1");
        a.deadLetter(deadLetter("deserialize", 1, 42, null));
        byte[] event =
                RecordEncoder.of(dev.bertstream.events.TextEvent.class, WireFormat.SINGLE_OBJECT, 0)
                        .encode(Events.event("e-2", "k", "hello"));
        a.deadLetter(deadLetter("inference", 0, 0, event));

        assertThat(a.snapshot().line()).isEqualTo("in=3 labeled=1 dlq=2 lost=0 duplicates=0");
        assertThat(a.snapshot().exact()).isTrue();
    }

    @Test
    void anIdBothLabeledAndDeadLetteredIsADuplicate() {
        DeliveryAccounting a = new DeliveryAccounting();
        a.sentEvent("e-1");
        a.labeled("e-1");
        byte[] event =
                RecordEncoder.of(dev.bertstream.events.TextEvent.class, WireFormat.SINGLE_OBJECT, 0)
                        .encode(Events.event("e-1", "k", "hello"));
        a.deadLetter(deadLetter("inference", 0, 0, event));

        assertThat(a.snapshot().line()).isEqualTo("in=1 labeled=1 dlq=1 lost=0 duplicates=1");
    }

    private static DeadLetter deadLetter(String stage, int partition, long offset, byte[] value) {
        return DeadLetter.newBuilder()
                .setSourceTopic("in")
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setValueSize(value == null ? -1 : value.length)
                .setValueTruncated(false)
                .setHeaders(List.of())
                .setStage(stage)
                .setReason("TEST")
                .setErrorClass("x")
                .setErrorMessage("x")
                .setFailedAt(Instant.now())
                .build();
    }
}
