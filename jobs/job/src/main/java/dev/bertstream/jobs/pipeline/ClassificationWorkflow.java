package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.events.TracedEvent;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.config.KafkaClientConfig;
import dev.bertstream.jobs.inference.BatchInferenceOperator;
import dev.bertstream.jobs.inference.HotSwapInferenceOperator;
import dev.bertstream.jobs.routing.RoutingRules;
import dev.bertstream.serde.DecodedRecordSplitFunction;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Objects;

/**
 * The one assembly of the classification job: source → split decoded records → keyed batch
 * inference → labeled, moderation, intent and dead-letter sinks. Production passes the Kafka source
 * and sinks ({@link ClassificationJob#runJob}); tests pass bounded sources and collecting sinks.
 *
 * <p>Every operator's uid is a constant here: savepoints map state to operators by uid, so changing
 * one orphans the state of a running job (the inference operator's buffered and in-flight events).
 *
 * <pre>{@code
 * ClassificationWorkflow.of(conf)
 *     .define(env, ClassificationJob.kafkaSource(conf), ClassificationJob.kafkaSinks(conf));
 * env.execute("bert-stream classification");
 * }</pre>
 */
@PublicEvolving
public final class ClassificationWorkflow {

    /** Uid of the source; Kafka's source keeps its partition offsets under it. */
    public static final String SOURCE_UID = "kafka-source";

    public static final String SOURCE_NAME = "kafka-text-events";

    /** Uid of the optional map right after the source ({@link #optAfterSource}). */
    public static final String AFTER_SOURCE_UID = "after-source";

    public static final String AFTER_SOURCE_NAME = "after source";

    /** Uid of the control topic's source ({@link #optModelRollouts}). */
    public static final String CONTROL_SOURCE_UID = "kafka-model-rollouts";

    public static final String CONTROL_SOURCE_NAME = "kafka-model-rollouts";

    public static final String SPLIT_UID = "split-decoded";
    public static final String SPLIT_NAME = "split decoded";

    /** Uid of the keyed batching and inference operator, which holds buffered events in state. */
    public static final String INFERENCE_UID = "batch-inference";

    public static final String INFERENCE_NAME = "BERT inference";

    public static final String LABELED_SINK_UID = "sink-labeled";
    public static final String LABELED_SINK_NAME = "labeled";

    public static final String MODERATION_FILTER_UID = "filter-moderation";
    public static final String MODERATION_FILTER_NAME = "moderation filter";
    public static final String MODERATION_SINK_UID = "sink-moderation";
    public static final String MODERATION_SINK_NAME = "moderation";

    public static final String INTENT_FILTER_UID = "filter-intents";
    public static final String INTENT_FILTER_NAME = "intent filter";
    public static final String INTENT_SINK_UID = "sink-intents";
    public static final String INTENT_SINK_NAME = "intents";

    public static final String DEAD_LETTER_SINK_UID = "sink-dead-letters";
    public static final String DEAD_LETTER_SINK_NAME = "dead letters";

    /**
     * Network buffer timeout unless {@code execution.buffer-timeout.*} is set. Flink's default, 100
     * ms, may hold a record in a partly filled buffer at the keyBy exchange for up to 100 ms, five
     * times the batching operator's 20 ms wait; at chat rates a buffer never fills, so every record
     * leaves by the timeout. The job moves a few hundred records a second, so flushing this often
     * costs nothing measurable (docs/BENCHMARKS.md).
     */
    static final Duration BUFFER_TIMEOUT = Duration.ofMillis(5);

    private final Configuration conf;
    private final MapFunction<DecodedRecord, DecodedRecord> afterSource;
    private final Source<ModelRollout, ?, ?> rollouts;

    private ClassificationWorkflow(
            Configuration conf,
            MapFunction<DecodedRecord, DecodedRecord> afterSource,
            Source<ModelRollout, ?, ?> rollouts) {
        this.conf = Objects.requireNonNull(conf, "conf");
        this.afterSource = afterSource;
        this.rollouts = rollouts;
    }

    /** The workflow as the job options in {@code conf} set it up. */
    public static ClassificationWorkflow of(Configuration conf) {
        return new ClassificationWorkflow(conf, null, null);
    }

    /**
     * A copy whose inference operator also reads model roll-outs from {@code source}, broadcast to
     * every subtask, and switches its default model without a restart ({@link
     * HotSwapInferenceOperator}). Production passes {@link ClassificationJob#controlSource} when
     * {@link JobOptions#CONTROL_TOPIC} is set.
     */
    public ClassificationWorkflow optModelRollouts(Source<ModelRollout, ?, ?> source) {
        return new ClassificationWorkflow(conf, afterSource, Objects.requireNonNull(source));
    }

    /**
     * A copy that passes every record through {@code map} between the source and the split: where
     * tests inject a task failure mid-stream. Production runs without it, and its uid ({@link
     * #AFTER_SOURCE_UID}) is only in graphs that have it.
     */
    public ClassificationWorkflow optAfterSource(MapFunction<DecodedRecord, DecodedRecord> map) {
        return new ClassificationWorkflow(conf, Objects.requireNonNull(map, "map"), rollouts);
    }

    /**
     * Configures {@code env} ({@link #configure}) and adds the job to it: records from {@code
     * source}, results to {@code sinks}. The caller executes {@code env}.
     */
    public void define(
            StreamExecutionEnvironment env, Source<DecodedRecord, ?, ?> source, JobSinks sinks) {
        configure(env, conf);
        DataStream<DecodedRecord> decoded =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_NAME)
                        .uid(SOURCE_UID);
        if (afterSource != null) {
            decoded =
                    decoded.map(afterSource)
                            .returns(new AvroTypeInfo<>(DecodedRecord.class))
                            .uid(AFTER_SOURCE_UID)
                            .name(AFTER_SOURCE_NAME);
        }
        defineProcessing(decoded, sinks);
    }

    /**
     * Checkpointing in the mode {@link JobOptions#DELIVERY} needs, no Kryo fallback, parallelism
     * from the job options. Kafka client secrets stay out of the environment's configuration, which
     * Flink serves over REST.
     */
    static void configure(StreamExecutionEnvironment env, Configuration conf) {
        Configuration flink = new Configuration();
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(flink);
        env.configure(KafkaClientConfig.withoutSecrets(conf));
        env.setParallelism(conf.get(JobOptions.PARALLELISM));
        if (!conf.containsKey(ExecutionOptions.BUFFER_TIMEOUT.key())
                && !conf.containsKey(ExecutionOptions.BUFFER_TIMEOUT_ENABLED.key())) {
            env.setBufferTimeout(BUFFER_TIMEOUT.toMillis());
        }
        env.enableCheckpointing(
                conf.get(JobOptions.CHECKPOINT_INTERVAL).toMillis(),
                conf.get(JobOptions.DELIVERY).checkpointingMode());
    }

    /** The roll-outs, from one reader, to every inference subtask. */
    private DataStream<ModelRollout> rolloutStream(StreamExecutionEnvironment env) {
        return env.fromSource(rollouts, WatermarkStrategy.noWatermarks(), CONTROL_SOURCE_NAME)
                .uid(CONTROL_SOURCE_UID)
                .setParallelism(1)
                .broadcast();
    }

    /** The processing graph between decoded records and the sinks. */
    private void defineProcessing(DataStream<DecodedRecord> decoded, JobSinks sinks) {
        SingleOutputStreamOperator<TracedEvent> events =
                decoded.process(new DecodedRecordSplitFunction()).uid(SPLIT_UID).name(SPLIT_NAME);
        DataStream<DeadLetter> undecodable =
                events.getSideOutput(DecodedRecordSplitFunction.DEAD_LETTERS);

        KeyedStream<TracedEvent, String> conversations =
                events.keyBy(e -> e.getEvent().getKey(), Types.STRING);
        SingleOutputStreamOperator<LabeledEvent> labeled =
                rollouts == null
                        ? conversations.transform(
                                INFERENCE_NAME,
                                new AvroTypeInfo<>(LabeledEvent.class),
                                ClassificationJob.inferenceOperator(conf))
                        : conversations
                                .connect(rolloutStream(decoded.getExecutionEnvironment()))
                                .transform(
                                        INFERENCE_NAME,
                                        new AvroTypeInfo<>(LabeledEvent.class),
                                        ClassificationJob.inferenceOperator(conf)
                                                .withModelRollouts(
                                                        conf.get(JobOptions.ROLLOUT_LOAD_TIMEOUT)));
        labeled.uid(INFERENCE_UID);

        RoutingRules rules = ClassificationJob.routingRules(conf);
        labeled.sinkTo(sinks.labeled()).uid(LABELED_SINK_UID).name(LABELED_SINK_NAME);
        labeled.filter(rules::flagged)
                .uid(MODERATION_FILTER_UID)
                .name(MODERATION_FILTER_NAME)
                .sinkTo(sinks.moderation())
                .uid(MODERATION_SINK_UID)
                .name(MODERATION_SINK_NAME);
        if (sinks.intents() != null) {
            labeled.filter(e -> rules.intentTopic(e).isPresent())
                    .uid(INTENT_FILTER_UID)
                    .name(INTENT_FILTER_NAME)
                    .sinkTo(sinks.intents())
                    .uid(INTENT_SINK_UID)
                    .name(INTENT_SINK_NAME);
        }
        undecodable
                .union(labeled.getSideOutput(BatchInferenceOperator.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters())
                .uid(DEAD_LETTER_SINK_UID)
                .name(DEAD_LETTER_SINK_NAME);
    }
}
