package dev.bertstream.jobs.inference;

import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.DeadLetterLimits;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.bertstream.jobs.testutils.Events.traced;
import static dev.bertstream.jobs.testutils.HarnessMailbox.advance;
import static dev.bertstream.jobs.testutils.HarnessMailbox.drainUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference operator with a default (English) bundle and a Chinese language bundle, two real
 * tiny bundles of different names and task sets, under Flink's keyed operator harness: each event
 * reaches the model its {@code lang} or its script picks, a batch holds one model's events, and
 * conversations keep their order across models.
 */
class LanguageRoutingOperatorTest {

    static final long MAX_WAIT = 50;
    static final String ZH = "zh";

    static final List<String> ENGLISH =
            List.of("where is my parcel", "cancel my order please", "thanks, all good");
    static final List<String> CHINESE = List.of("你好，我的快递到哪里了？", "这个服务太差了，我要退款", "谢谢，问题已经解决了");

    @TempDir static Path tmp;
    static String english;
    static String chinese;

    private final ModelFaults calls = new ModelFaults(1).install();

    @BeforeAll
    static void buildBundles() throws Exception {
        english = TestBundles.chatBundle(tmp.resolve("en"), "1").toString();
        chinese = TestBundles.chineseBundle(tmp.resolve("zh"), "1").toString();
    }

    @AfterEach
    void removeHook() {
        calls.close();
    }

    @Test
    void englishAndChineseEventsAreLabeledByTheirOwnModels() throws Exception {
        try (var h = open(8, 2, null)) {
            for (int i = 0; i < 12; i++) {
                String text = (i % 2 == 0 ? ENGLISH : CHINESE).get(i % 3);
                h.processElement(new StreamRecord<>(traced("e" + i, "k" + (i % 4), text, i)));
            }
            h.endInput();
            List<LabeledEvent> out = h.extractOutputValues();
            assertThat(out).hasSize(12);
            for (LabeledEvent e : out) {
                boolean isChinese = CHINESE.contains(e.getEvent().getText());
                assertThat(e.getModelName())
                        .as("model of %s", e.getEvent().getText())
                        .isEqualTo(isChinese ? TestBundles.CHINESE_NAME : TestBundles.CHAT_NAME);
                // The Chinese bundle has no intent head: its events carry no intent result.
                assertThat(e.getResults().stream().map(TaskResult::getTask))
                        .containsExactlyElementsOf(
                                isChinese
                                        ? List.of("sentiment", "toxicity")
                                        : List.of("sentiment", "toxicity", "intent"));
            }
        }
    }

    @Test
    void anEventsLangTagOverridesTheScriptOfItsText() throws Exception {
        Map<String, TracedEvent> events = new LinkedHashMap<>();
        events.put("zh text, lang en", traced("1", "a", CHINESE.get(0), "en", 1));
        events.put("en text, lang zh-CN", traced("2", "b", ENGLISH.get(0), "zh-CN", 2));
        events.put("en text, lang ZH_Hant", traced("3", "c", ENGLISH.get(1), "ZH_Hant", 3));
        events.put("zh text, lang fr", traced("4", "d", CHINESE.get(1), "fr", 4));
        events.put("zh text, lang und", traced("5", "e", CHINESE.get(2), "und", 5));
        events.put("zh text, lang blank", traced("6", "f", CHINESE.get(2), " ", 6));
        try (var h = open(64, 2, null)) {
            for (TracedEvent e : events.values()) {
                h.processElement(new StreamRecord<>(e));
            }
            h.endInput();
            Map<String, String> modelById = new LinkedHashMap<>();
            h.extractOutputValues()
                    .forEach(e -> modelById.put(e.getEvent().getEventId(), e.getModelName()));
            Map<String, String> models = new LinkedHashMap<>();
            events.forEach((what, e) -> models.put(what, modelById.get(e.getEvent().getEventId())));
            assertThat(models)
                    .containsExactly(
                            Map.entry("zh text, lang en", TestBundles.CHAT_NAME),
                            Map.entry("en text, lang zh-CN", TestBundles.CHINESE_NAME),
                            Map.entry("en text, lang ZH_Hant", TestBundles.CHINESE_NAME),
                            Map.entry("zh text, lang fr", TestBundles.CHAT_NAME),
                            Map.entry("zh text, lang und", TestBundles.CHINESE_NAME),
                            Map.entry("zh text, lang blank", TestBundles.CHINESE_NAME));
        }
    }

    @Test
    void eachModelFillsItsOwnBatchesAndABatchNeverMixesModels() throws Exception {
        int n = 120;
        try (var h = open(5, 3, null)) {
            for (int i = 0; i < n; i++) {
                // Conversations that switch language now and then, the way chats do.
                boolean zh = (i / 3 + i / 7) % 2 == 0;
                String text = (zh ? CHINESE : ENGLISH).get(i % 3) + " #" + i;
                h.processElement(
                        new StreamRecord<>(traced(String.valueOf(i), "k" + (i % 6), text, i)));
            }
            h.endInput();
            List<LabeledEvent> out = h.extractOutputValues();
            assertThat(out).hasSize(n);
            List<List<String>> batches = calls.batchCalls();
            assertThat(batches)
                    .allSatisfy(
                            batch ->
                                    assertThat(
                                                    batch.stream()
                                                            .map(
                                                                    LanguageRoutingOperatorTest
                                                                            ::isChinese)
                                                            .distinct())
                                            .as("one model per batch: %s", batch)
                                            .hasSize(1));
            // Both models batch: each got full batches, not one call per event.
            assertThat(batches.stream().filter(b -> isChinese(b.get(0))).mapToInt(List::size).max())
                    .hasValue(5);
            assertThat(
                            batches.stream()
                                    .filter(b -> !isChinese(b.get(0)))
                                    .mapToInt(List::size)
                                    .max())
                    .hasValue(5);
            assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(n);
            assertConversationsInOrder(out);
        }
    }

    @Test
    void aConversationThatSwitchesLanguageKeepsItsOrder() throws Exception {
        try (var h = open(2, 4, null)) {
            for (int i = 0; i < 10; i++) {
                String text = (i % 2 == 0 ? ENGLISH : CHINESE).get(i % 3);
                h.processElement(new StreamRecord<>(traced(String.valueOf(i), "one", text, i)));
            }
            h.endInput();
            assertThat(h.extractOutputValues().stream().map(e -> e.getEvent().getEventId()))
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            assertThat(calls.batchCalls())
                    .allSatisfy(
                            batch ->
                                    assertThat(
                                                    batch.stream()
                                                            .map(
                                                                    LanguageRoutingOperatorTest
                                                                            ::isChinese)
                                                            .distinct())
                                            .hasSize(1));
        }
    }

    @Test
    void aFullBatchOfOneModelLeavesTheOtherModelsEventsWaitingForTheirOwnDeadline()
            throws Exception {
        try (var h = open(3, 2, null)) {
            advance(h, 1000);
            h.processElement(new StreamRecord<>(traced("z1", "a", CHINESE.get(0), 1)));
            advance(h, 1010);
            for (int i = 0; i < 3; i++) {
                h.processElement(
                        new StreamRecord<>(traced("e" + i, "b" + i, ENGLISH.get(i), 2 + i)));
            }
            assertThat(calls.batchCalls()).containsExactly(ENGLISH);
            advance(h, 1000 + MAX_WAIT - 1);
            assertThat(calls.batchCalls()).hasSize(1);
            advance(h, 1000 + MAX_WAIT);
            assertThat(calls.batchCalls()).containsExactly(ENGLISH, List.of(CHINESE.get(0)));
            drainUntil(h, () -> h.extractOutputValues().size() == 4);
        }
    }

    @Test
    void aRestoreRoutesBufferedAndInFlightEventsToTheirModelsAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(3, 2, null)) {
            for (int i = 0; i < 8; i++) {
                String text = (i % 2 == 0 ? ENGLISH : CHINESE).get(i % 3);
                h.processElement(
                        new StreamRecord<>(traced(String.valueOf(i), "k" + (i % 3), text, i)));
            }
            snapshot = h.snapshot(1, 10);
        }
        try (var h = open(3, 2, snapshot)) {
            h.endInput();
            List<LabeledEvent> out = h.extractOutputValues();
            assertThat(out.stream().map(e -> e.getEvent().getEventId()))
                    .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7");
            assertThat(out)
                    .allSatisfy(
                            e ->
                                    assertThat(e.getModelName())
                                            .isEqualTo(
                                                    isChinese(e.getEvent().getText())
                                                            ? TestBundles.CHINESE_NAME
                                                            : TestBundles.CHAT_NAME));
            assertConversationsInOrder(out);
        }
    }

    @Test
    void aSavepointOfAJobWithoutLanguageBundlesRestoresIntoOneWithThem() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(4, 1, null, Map.of())) {
            for (int i = 0; i < 6; i++) {
                String text = (i % 2 == 0 ? ENGLISH : CHINESE).get(i % 3);
                h.processElement(
                        new StreamRecord<>(traced(String.valueOf(i), "k" + (i % 2), text, i)));
            }
            // Four events in flight to the one model, two buffered.
            snapshot = h.snapshot(1, 10);
        }
        try (var h = open(4, 1, snapshot)) {
            h.endInput();
            List<LabeledEvent> out = h.extractOutputValues();
            assertThat(out).hasSize(6);
            assertThat(out)
                    .allSatisfy(
                            e ->
                                    assertThat(e.getModelName())
                                            .isEqualTo(
                                                    isChinese(e.getEvent().getText())
                                                            ? TestBundles.CHINESE_NAME
                                                            : TestBundles.CHAT_NAME));
        }
    }

    // --- fixtures ---

    private static boolean isChinese(String text) {
        return ZH.equals(ScriptLanguage.detect(text));
    }

    private static void assertConversationsInOrder(List<LabeledEvent> out) {
        Map<String, List<Integer>> perKey = new LinkedHashMap<>();
        for (LabeledEvent e : out) {
            perKey.computeIfAbsent(e.getEvent().getKey(), k -> new ArrayList<>())
                    .add(Integer.parseInt(e.getEvent().getEventId()));
        }
        perKey.values().forEach(ids -> assertThat(ids).isSorted());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent> open(
            int size, int capacity, OperatorSubtaskState restore) throws Exception {
        return open(size, capacity, restore, Map.of(ZH, settings(chinese)));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent> open(
            int size,
            int capacity,
            OperatorSubtaskState restore,
            Map<String, InferenceSettings> languages)
            throws Exception {
        var factory =
                new BatchInferenceOperatorFactory(
                        new BatchingSettings(size, 100_000, MAX_WAIT),
                        settings(english),
                        languages,
                        new FailureSettings(
                                Duration.ofSeconds(60),
                                Duration.ofMillis(5),
                                Duration.ofMillis(50),
                                InferenceFailurePolicy.DEAD_LETTER),
                        capacity,
                        DeadLetterLimits.defaults());
        var h =
                new KeyedOneInputStreamOperatorTestHarness<String, TracedEvent, LabeledEvent>(
                        factory, e -> e.getEvent().getKey(), Types.STRING, 128, 1, 0);
        h.setup(
                new AvroTypeInfo<>(LabeledEvent.class)
                        .createSerializer(new SerializerConfigImpl()));
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static InferenceSettings settings(String bundle) {
        return new InferenceSettings(bundle, 1, 1, 64, 100_000, 8, false, false);
    }
}
