package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.inference.BatchInferenceOperator;
import dev.bertstream.jobs.testutils.CollectingRecordSink;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.jobs.testutils.ModelFaults;
import dev.bertstream.jobs.testutils.SerializedRecordSource;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.DeadLetterReason;
import dev.bertstream.serde.TextEventDeserializationSchema;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link ClassificationWorkflow} on a MiniCluster with a bounded source of serialized records
 * and sinks that collect the Kafka records the job would send, with the real tiny chat bundle: each
 * labeled event reaches the labeled topic once, the moderation and intent topics get what the
 * routing options say, and malformed records and events the model fails on become dead letters with
 * their reason. With a Chinese language bundle (no intent head), Chinese events are labeled by it,
 * moderated on its toxicity, and kept out of the intent topics.
 */
class WorkflowRoutingITCase {

    private static final String IN = "chat.text-events";
    private static final String LABELED = "test.labeled";
    private static final String MODERATION = "test.moderation";
    private static final String DLQ = "test.dead-letters";
    private static final String INTENT_PATTERN = "test.intent.{label}";
    private static final double MODERATION_THRESHOLD = 0.5;
    private static final double INTENT_MIN_SCORE = 0.38;
    private static final String POISON = "POISON";

    private static final int EVENTS = 240;
    private static final List<String> TEXTS =
            List.of(
                    "where is my parcel, it was due on monday",
                    "I want to cancel my subscription today",
                    "hello there, anyone around?",
                    "you are all useless idiots",
                    "why was I charged twice this month",
                    "thanks, that fixed it",
                    "the tracking number does not work",
                    "please close my account",
                    "good morning",
                    "this is the worst service ever, shame on you",
                    "can I get a refund for the last invoice",
                    "my order arrived broken");
    private static final List<String> CHINESE_TEXTS =
            List.of("你好，我的快递到哪里了？", "这个服务太差了，我要退款", "谢谢，问题已经解决了", "请帮我取消订单", "客服态度很差，再也不买了");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path tmp;

    private static ModelFaults faults;

    @BeforeAll
    static void poisonTheModel() {
        faults = new ModelFaults(3).poison(POISON).install();
    }

    @AfterAll
    static void healTheModel() {
        faults.close();
    }

    @Test
    void routesLabeledModerationIntentAndDeadLettersAsTheRoutingOptionsSay() throws Exception {
        Configuration conf = config(TestBundles.chatBundle(tmp.resolve("bundle"), "1"));

        // Offsets of the source records: valid events, poison events and malformed records.
        List<byte[][]> records = new ArrayList<>();
        Map<Long, String> validIds = new HashMap<>();
        Map<Long, String> poisonIds = new HashMap<>();
        Map<Long, DeadLetterReason> malformed = new HashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            long offset = records.size();
            String key = "conv-" + (i % 17);
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            if (i % 40 == 7) {
                malformed.put(offset, DeadLetterReason.EMPTY_VALUE);
                records.add(new byte[][] {keyBytes, new byte[0]});
            } else if (i % 40 == 19) {
                malformed.put(offset, DeadLetterReason.NULL_VALUE);
                records.add(new byte[][] {keyBytes, null});
            } else if (i % 40 == 31) {
                malformed.put(offset, DeadLetterReason.BAD_MAGIC_BYTE);
                records.add(new byte[][] {keyBytes, "{\"not\":\"avro\"}".getBytes()});
            } else {
                String id = "e-" + i;
                boolean poison = i % 40 == 23;
                String text = (poison ? POISON + " " : "") + TEXTS.get(i % TEXTS.size());
                records.add(new byte[][] {keyBytes, bytes(Events.event(id, key, text))});
                (poison ? poisonIds : validIds).put(offset, id);
            }
        }

        JobRecordSchemas schemas = JobRecordSchemas.from(conf);
        try (CollectingRecordSink<LabeledEvent> labeledSink =
                        new CollectingRecordSink<>(schemas.labeled());
                CollectingRecordSink<LabeledEvent> moderationSink =
                        new CollectingRecordSink<>(schemas.moderation());
                CollectingRecordSink<LabeledEvent> intentSink =
                        new CollectingRecordSink<>(schemas.intents());
                CollectingRecordSink<DeadLetter> deadLetterSink =
                        new CollectingRecordSink<>(schemas.deadLetters())) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            ClassificationWorkflow.of(conf)
                    .define(
                            env,
                            SerializedRecordSource.of(
                                    IN,
                                    records,
                                    TextEventDeserializationSchema.builder()
                                            .configure(conf)
                                            .build()),
                            new JobSinks(labeledSink, moderationSink, intentSink, deadLetterSink));
            env.execute("workflow-routing-itcase");

            // Labeled: every valid event once, keyed by its conversation; no poison event.
            List<ProducerRecord<byte[], byte[]>> labeledRecords = labeledSink.records();
            assertThat(labeledRecords).allSatisfy(r -> assertThat(r.topic()).isEqualTo(LABELED));
            Map<String, LabeledEvent> labeled = byId(labeledRecords);
            assertThat(countById(labeledRecords))
                    .as("labeled events by id")
                    .isEqualTo(countOnce(validIds.values()));
            labeledRecords.forEach(
                    r ->
                            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                    .isEqualTo(labeled(r).getEvent().getKey()));

            // Moderation: exactly the labeled events whose toxic probability reaches the
            // threshold.
            Set<String> toxic =
                    labeled.values().stream()
                            .filter(
                                    e ->
                                            result(e, "toxicity").getScores().get("toxic")
                                                    >= MODERATION_THRESHOLD)
                            .map(e -> e.getEvent().getEventId())
                            .collect(Collectors.toSet());
            assertThat(toxic)
                    .as("the inputs exercise both sides of the moderation threshold")
                    .isNotEmpty()
                    .hasSizeLessThan(labeled.size());
            List<ProducerRecord<byte[], byte[]>> moderationRecords = moderationSink.records();
            assertThat(moderationRecords)
                    .allSatisfy(r -> assertThat(r.topic()).isEqualTo(MODERATION));
            assertThat(countById(moderationRecords))
                    .as("moderation events by id")
                    .isEqualTo(countOnce(toxic));

            // Intents: each event whose intent score reaches the minimum goes once to the topic of
            // its intent label. (The tiny random model calls every text "shipping": one topic.)
            Map<String, String> expectedTopics = new TreeMap<>();
            labeled.values().stream()
                    .filter(e -> result(e, "intent").getScore() >= INTENT_MIN_SCORE)
                    .forEach(
                            e ->
                                    expectedTopics.put(
                                            e.getEvent().getEventId(),
                                            INTENT_PATTERN.replace(
                                                    "{label}", result(e, "intent").getLabel())));
            assertThat(expectedTopics)
                    .as("the inputs exercise both sides of the intent minimum score")
                    .isNotEmpty()
                    .hasSizeLessThan(labeled.size());
            List<ProducerRecord<byte[], byte[]>> intentRecords = intentSink.records();
            assertThat(countById(intentRecords))
                    .as("intent events by id")
                    .isEqualTo(countOnce(expectedTopics.keySet()));
            Map<String, String> topics = new TreeMap<>();
            intentRecords.forEach(r -> topics.put(labeled(r).getEvent().getEventId(), r.topic()));
            assertThat(topics).isEqualTo(expectedTopics);

            // Dead letters: each malformed record with its decoding reason, each poison event
            // with the inference failure; none for a labeled event.
            List<DeadLetter> deadLetters =
                    deadLetterSink.records().stream()
                            .peek(r -> assertThat(r.topic()).isEqualTo(DLQ))
                            .map(WorkflowRoutingITCase::deadLetter)
                            .toList();
            Map<Long, String> reasons = new TreeMap<>();
            Map<Long, String> stages = new TreeMap<>();
            deadLetters.forEach(
                    d -> {
                        assertThat(reasons.put(d.getSourceOffset(), d.getReason()))
                                .as("one dead letter for offset %d", d.getSourceOffset())
                                .isNull();
                        stages.put(d.getSourceOffset(), d.getStage());
                    });
            Map<Long, String> expectedReasons = new TreeMap<>();
            Map<Long, String> expectedStages = new TreeMap<>();
            malformed.forEach(
                    (offset, reason) -> {
                        expectedReasons.put(offset, reason.name());
                        expectedStages.put(offset, TextEventDeserializationSchema.STAGE);
                    });
            poisonIds
                    .keySet()
                    .forEach(
                            offset -> {
                                expectedReasons.put(
                                        offset, DeadLetterReason.INFERENCE_FAILED.name());
                                expectedStages.put(offset, BatchInferenceOperator.STAGE);
                            });
            assertThat(reasons).isEqualTo(expectedReasons);
            assertThat(stages).isEqualTo(expectedStages);
            assertThat(faults.poisonCalls()).as("the model failed on the poison").isPositive();

            System.out.printf(
                    "workflow routing: in=%d labeled=%d moderation=%d intents=%d over %d topics"
                            + " dead-letters=%d%n",
                    records.size(),
                    labeledRecords.size(),
                    moderationRecords.size(),
                    intentRecords.size(),
                    new HashSet<>(topics.values()).size(),
                    deadLetters.size());
            assertThat(labeledRecords.size() + deadLetters.size()).isEqualTo(records.size());
        }
    }

    @Test
    void chineseEventsGoToTheChineseBundleAndWithoutItsIntentHeadStayOutOfIntentTopics()
            throws Exception {
        Configuration conf =
                config(
                        TestBundles.chatBundle(tmp.resolve("en"), "1"),
                        Map.of(
                                JobOptions.LANGUAGE_MODELS.key(),
                                "zh=" + TestBundles.chineseBundle(tmp.resolve("zh"), "1")));
        List<byte[][]> records = new ArrayList<>();
        Set<String> chineseIds = new HashSet<>();
        for (int i = 0; i < 96; i++) {
            String key = "conv-" + (i % 7);
            String id = "m-" + i;
            boolean chinese = i % 3 == 0;
            String text =
                    chinese
                            ? CHINESE_TEXTS.get(i % CHINESE_TEXTS.size())
                            : TEXTS.get(i % TEXTS.size());
            if (chinese) {
                chineseIds.add(id);
            }
            records.add(
                    new byte[][] {
                        key.getBytes(StandardCharsets.UTF_8), bytes(Events.event(id, key, text))
                    });
        }
        JobRecordSchemas schemas = JobRecordSchemas.from(conf);
        try (CollectingRecordSink<LabeledEvent> labeledSink =
                        new CollectingRecordSink<>(schemas.labeled());
                CollectingRecordSink<LabeledEvent> moderationSink =
                        new CollectingRecordSink<>(schemas.moderation());
                CollectingRecordSink<LabeledEvent> intentSink =
                        new CollectingRecordSink<>(schemas.intents());
                CollectingRecordSink<DeadLetter> deadLetterSink =
                        new CollectingRecordSink<>(schemas.deadLetters())) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            ClassificationWorkflow.of(conf)
                    .define(
                            env,
                            SerializedRecordSource.of(
                                    IN,
                                    records,
                                    TextEventDeserializationSchema.builder()
                                            .configure(conf)
                                            .build()),
                            new JobSinks(labeledSink, moderationSink, intentSink, deadLetterSink));
            env.execute("workflow-language-routing-itcase");

            Map<String, LabeledEvent> labeled = byId(labeledSink.records());
            assertThat(labeled).hasSize(records.size());
            Map<String, String> models = new TreeMap<>();
            Map<String, String> expectedModels = new TreeMap<>();
            labeled.forEach(
                    (id, e) -> {
                        models.put(id, e.getModelName());
                        expectedModels.put(
                                id,
                                chineseIds.contains(id)
                                        ? TestBundles.CHINESE_NAME
                                        : TestBundles.CHAT_NAME);
                    });
            assertThat(models).isEqualTo(expectedModels);

            // Moderation reads the toxicity of whichever bundle labeled the event.
            Set<String> toxic =
                    labeled.values().stream()
                            .filter(
                                    e ->
                                            result(e, "toxicity").getScores().get("toxic")
                                                    >= MODERATION_THRESHOLD)
                            .map(e -> e.getEvent().getEventId())
                            .collect(Collectors.toSet());
            assertThat(countById(moderationSink.records())).isEqualTo(countOnce(toxic));

            // The Chinese bundle has no intent head: its events reach no intent topic; English
            // events are routed as before.
            Set<String> routed = countById(intentSink.records()).keySet();
            assertThat(routed).doesNotContainAnyElementsOf(chineseIds);
            Set<String> expectedRouted =
                    labeled.values().stream()
                            .filter(e -> !chineseIds.contains(e.getEvent().getEventId()))
                            .filter(e -> result(e, "intent").getScore() >= INTENT_MIN_SCORE)
                            .map(e -> e.getEvent().getEventId())
                            .collect(Collectors.toSet());
            assertThat(routed).isNotEmpty().isEqualTo(expectedRouted);
            assertThat(deadLetterSink.records()).isEmpty();
        }
    }

    private static Configuration config(Path bundle) {
        return config(bundle, Map.of());
    }

    private static Configuration config(Path bundle, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        // Never contacted: the sinks collect and the source is in memory.
        m.put(JobOptions.BOOTSTRAP_SERVERS.key(), "localhost:9");
        m.put(JobOptions.MODEL.key(), bundle.toString());
        m.put(JobOptions.INPUT_TOPIC.key(), IN);
        m.put(JobOptions.LABELED_TOPIC.key(), LABELED);
        m.put(JobOptions.MODERATION_TOPIC.key(), MODERATION);
        m.put(JobOptions.DEAD_LETTER_TOPIC.key(), DLQ);
        m.put(JobOptions.INTENT_TOPIC_PATTERN.key(), INTENT_PATTERN);
        m.put(JobOptions.INTENT_MIN_SCORE.key(), String.valueOf(INTENT_MIN_SCORE));
        m.put(JobOptions.MODERATION_THRESHOLD.key(), String.valueOf(MODERATION_THRESHOLD));
        m.put(JobOptions.PARALLELISM.key(), "2");
        m.put(JobOptions.BATCH_MAX_SIZE.key(), "8");
        m.put(JobOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        m.put("serde.input.format", "SINGLE_OBJECT");
        m.put("serde.output.format", "SINGLE_OBJECT");
        m.putAll(extra);
        Configuration conf = Configuration.fromMap(m);
        JobConfig.validate(conf);
        return conf;
    }

    private static byte[] bytes(TextEvent e) throws IOException {
        ByteBuffer b = e.toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static LabeledEvent labeled(ProducerRecord<byte[], byte[]> r) {
        try {
            return LabeledEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
        } catch (IOException e) {
            throw new AssertionError("not a labeled event on " + r.topic(), e);
        }
    }

    private static DeadLetter deadLetter(ProducerRecord<byte[], byte[]> r) {
        try {
            return DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value()));
        } catch (IOException e) {
            throw new AssertionError("not a dead letter on " + r.topic(), e);
        }
    }

    private static Map<String, LabeledEvent> byId(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(WorkflowRoutingITCase::labeled)
                .collect(
                        Collectors.toMap(
                                e -> e.getEvent().getEventId(), Function.identity(), (a, b) -> a));
    }

    private static Map<String, Integer> countById(List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new TreeMap<>();
        records.forEach(r -> counts.merge(labeled(r).getEvent().getEventId(), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Integer> countOnce(Iterable<String> ids) {
        Map<String, Integer> counts = new TreeMap<>();
        ids.forEach(id -> counts.put(id, 1));
        return counts;
    }

    private static TaskResult result(LabeledEvent e, String task) {
        return e.getResults().stream()
                .filter(r -> r.getTask().equals(task))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(e.getEvent().getEventId() + " has no " + task));
    }
}
