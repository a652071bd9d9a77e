package dev.bertstream.serde.testutils;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabelScore;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.RecordHeader;
import dev.bertstream.events.RecordOrigin;
import dev.bertstream.events.TaskResult;
import dev.bertstream.events.TextEvent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixed events for round-trip and golden tests; maps are ordered so encodings are repeatable. */
public final class TestEvents {

    public static final Instant CREATED_AT = Instant.parse("2024-05-01T12:00:00.123Z");
    public static final Instant PROCESSED_AT = Instant.parse("2024-05-01T12:00:00.245Z");
    public static final Instant FAILED_AT = Instant.parse("2024-05-01T12:00:01.001Z");

    private TestEvents() {}

    /** Every field set, with text outside the BMP and several scripts. */
    public static TextEvent textEvent() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("channel", "web");
        attributes.put("user_agent", "test/1.0");
        return TextEvent.newBuilder()
                .setEventId("evt-0001")
                .setKey("conv-42")
                .setTenant("acme")
                .setText("Ça va? 👋 — привет, 世界")
                .setLang("fr")
                .setSource("chat-gateway")
                .setCreatedAt(CREATED_AT)
                .setAttributes(attributes)
                .build();
    }

    /** Only the required fields set. */
    public static TextEvent minimalTextEvent() {
        return event("evt-0002", "hi");
    }

    public static TextEvent event(String eventId, String text) {
        return TextEvent.newBuilder()
                .setEventId(eventId)
                .setKey("conv-7")
                .setText(text)
                .setSource("cli")
                .setCreatedAt(CREATED_AT)
                .build();
    }

    public static LabeledEvent labeledEvent() {
        return LabeledEvent.newBuilder()
                .setEvent(textEvent())
                .setResults(
                        List.of(
                                result(
                                        "sentiment",
                                        "positive",
                                        0.8125f,
                                        "negative",
                                        0.0625f,
                                        "neutral",
                                        0.125f),
                                result(
                                        "toxicity",
                                        "non_toxic",
                                        0.96875f,
                                        "toxic",
                                        0.03125f,
                                        null,
                                        0f)))
                .setModelName("bert-moderation")
                .setModelVersion("2024.05.1")
                .setProcessedAt(PROCESSED_AT)
                .setLatencyMs(122L)
                .build();
    }

    /**
     * {@link #labeledEvent()} plus the result of a multi-label task (LabeledEvent v3 on): a golden
     * file of its own, since older versions cannot express it.
     */
    public static LabeledEvent multiLabelEvent() {
        LabeledEvent e = labeledEvent();
        List<TaskResult> results = new java.util.ArrayList<>(e.getResults());
        results.add(multiLabelResult());
        return LabeledEvent.newBuilder(e).setResults(results).build();
    }

    /** The Kafka record {@link #textEvent()} was decoded from (raw value elided). */
    public static RecordOrigin origin() {
        return RecordOrigin.newBuilder()
                .setTopic("text-events")
                .setPartition(2)
                .setOffset(77L)
                .setTimestamp(CREATED_AT)
                .setKey(ByteBuffer.wrap("conv-42".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {0x00, 0x00, 0x00, 0x00, 0x29}))
                .setHeaders(
                        List.of(
                                new RecordHeader(
                                        "trace-id",
                                        ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8)))))
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("text-events")
                .setSourcePartition(3)
                .setSourceOffset(1234L)
                .setSourceTimestamp(CREATED_AT)
                .setKey(ByteBuffer.wrap("conv-42".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {0x01, 0x02, (byte) 0xFF, 0x00}))
                .setKeySize(7)
                .setValueSize(4)
                .setValueTruncated(false)
                .setHeadersSize(11)
                .setHeaders(
                        List.of(
                                new RecordHeader(
                                        "trace-id",
                                        ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8))),
                                new RecordHeader("empty", null)))
                .setStage("deserialize")
                .setReason("BAD_MAGIC_BYTE")
                .setErrorClass("dev.bertstream.serde.codec.DecodeException")
                .setErrorMessage("Confluent framing starts with 0x00, value starts with 0x01 0x02")
                .setFailedAt(FAILED_AT)
                .build();
    }

    private static TaskResult result(
            String task, String label, float score, String l2, float s2, String l3, float s3) {
        Map<String, Float> scores = new LinkedHashMap<>();
        scores.put(label, score);
        scores.put(l2, s2);
        if (l3 != null) {
            scores.put(l3, s3);
        }
        return TaskResult.newBuilder()
                .setTask(task)
                .setLabel(label)
                .setScore(score)
                .setScores(scores)
                .setLabels(List.of(new LabelScore(label, score)))
                .build();
    }

    /** A multi-label (sigmoid) result with two labels above their thresholds and one below. */
    private static TaskResult multiLabelResult() {
        Map<String, Float> scores = new LinkedHashMap<>();
        scores.put("anger", 0.75f);
        scores.put("annoyance", 0.5f);
        scores.put("joy", 0.015625f);
        return TaskResult.newBuilder()
                .setTask("emotion")
                .setLabel("anger")
                .setScore(0.75f)
                .setScores(scores)
                .setMultiLabel(true)
                .setLabels(
                        List.of(new LabelScore("anger", 0.75f), new LabelScore("annoyance", 0.5f)))
                .build();
    }
}
