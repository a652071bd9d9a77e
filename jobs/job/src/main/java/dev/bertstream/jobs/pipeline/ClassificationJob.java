package dev.bertstream.jobs.pipeline;

import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.DecodedRecord;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.ModelRollout;
import dev.bertstream.jobs.batching.BatchingSettings;
import dev.bertstream.jobs.config.DeliveryMode;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.config.KafkaClientConfig;
import dev.bertstream.jobs.config.LanguageBundles;
import dev.bertstream.jobs.inference.BatchInferenceOperatorFactory;
import dev.bertstream.jobs.inference.FailureSettings;
import dev.bertstream.jobs.inference.InferenceSettings;
import dev.bertstream.jobs.routing.RoutingRules;
import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.serde.DeadLetterLimits;
import dev.bertstream.serde.ModelRolloutDeserializationSchema;
import dev.bertstream.serde.TextEventDeserializationSchema;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The classification job: Kafka TextEvents → decode (bad records to dead letters) → keyBy
 * conversation → keyed micro-batching and async BERT inference in one operator → labeled,
 * moderation, intent and dead-letter topics, all written exactly once (or at least once, with
 * {@link JobOptions#DELIVERY}).
 *
 * <p>Laid out as {@code main → runJob → }{@link ClassificationWorkflow} so tests can run the
 * workflow on bounded sources and collecting sinks.
 */
@PublicEvolving
public final class ClassificationJob {

    private ClassificationJob() {}

    /** {@code flink run bert-stream-job.jar --config job.yaml [--key value ...]}. */
    public static void main(String[] args) throws Exception {
        Path yaml = null;
        List<String> overrides = new java.util.ArrayList<>(List.of(args));
        int i = overrides.indexOf("--config");
        if (i >= 0 && i + 1 < overrides.size()) {
            yaml = Path.of(overrides.get(i + 1));
            overrides.remove(i + 1);
            overrides.remove(i);
        }
        runJob(
                JobConfig.load(yaml, overrides),
                StreamExecutionEnvironment.getExecutionEnvironment());
    }

    /**
     * Checks that Kafka answers and has the job's topics ({@link KafkaStartupCheck}), builds the
     * Kafka source and sinks from {@code conf} and runs the {@link ClassificationWorkflow} on
     * {@code env}.
     */
    public static void runJob(Configuration conf, StreamExecutionEnvironment env) throws Exception {
        // Here rather than in main so that 'flink run' and 'bert-stream run' both fail fast.
        KafkaStartupCheck.verify(conf);
        ClassificationWorkflow workflow = ClassificationWorkflow.of(conf);
        if (!conf.get(JobOptions.CONTROL_TOPIC).isBlank()) {
            workflow = workflow.optModelRollouts(controlSource(conf));
        }
        workflow.define(env, kafkaSource(conf), kafkaSinks(conf));
        env.execute("bert-stream classification");
    }

    /** Keyed micro-batching and inference on the shared model, as {@code conf} sets them. */
    static BatchInferenceOperatorFactory inferenceOperator(Configuration conf) {
        int capacity = conf.get(JobOptions.CAPACITY);
        BatchingSettings batching =
                new BatchingSettings(
                        conf.get(JobOptions.BATCH_MAX_SIZE),
                        conf.get(JobOptions.BATCH_MAX_TOKENS),
                        conf.get(JobOptions.BATCH_MAX_WAIT).toMillis(),
                        conf.get(JobOptions.BATCH_FLUSH_WHEN_IDLE));
        InferenceSettings model =
                inferenceSettings(
                        conf, conf.get(JobOptions.MODEL), conf.get(JobOptions.MODEL_SHA256));
        // Every language bundle is verified like the default one: same public key, its own pin.
        LanguageBundles languages = LanguageBundles.from(conf);
        Map<String, InferenceSettings> languageModels = new LinkedHashMap<>();
        languages
                .bundles()
                .forEach(
                        (lang, bundle) ->
                                languageModels.put(
                                        lang,
                                        inferenceSettings(
                                                conf, bundle, languages.sha256().get(lang))));
        FailureSettings failures =
                new FailureSettings(
                        conf.get(JobOptions.TIMEOUT),
                        conf.get(JobOptions.RETRY_BACKOFF),
                        Duration.ofSeconds(5),
                        conf.get(JobOptions.ON_FAILURE));
        return new BatchInferenceOperatorFactory(
                batching, model, languageModels, failures, capacity, DeadLetterLimits.from(conf));
    }

    /** How TaskManagers run {@code bundle}, pinned to {@code sha256} (may be null). */
    private static InferenceSettings inferenceSettings(
            Configuration conf, String bundle, String sha256) {
        int capacity = conf.get(JobOptions.CAPACITY);
        return new InferenceSettings(
                bundle,
                conf.get(JobOptions.INTRA_OP_THREADS),
                conf.get(JobOptions.INFERENCE_THREADS),
                // Room for every slot's batches and its bisection calls.
                Math.max(16, 4 * capacity * conf.get(JobOptions.PARALLELISM)),
                conf.get(JobOptions.BATCH_MAX_TOKENS),
                conf.get(JobOptions.BATCH_MAX_SIZE),
                conf.get(JobOptions.USE_GPU),
                conf.get(JobOptions.BFLOAT16),
                sha256,
                inlinePublicKey(conf));
    }

    /**
     * The configured public key in its inline form, read here where the job is submitted, so that
     * TaskManagers need no key file.
     */
    private static String inlinePublicKey(Configuration conf) {
        String value = conf.get(JobOptions.MODEL_PUBLIC_KEY);
        if (value == null) {
            return null;
        }
        try {
            return BundleSigning.encodedPublicKey(BundleSigning.parsePublicKey(value));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Cannot read " + JobOptions.MODEL_PUBLIC_KEY.key() + " '" + value + "'", e);
        }
    }

    static RoutingRules routingRules(Configuration conf) {
        return new RoutingRules(
                conf.get(JobOptions.MODERATION_TASK),
                conf.get(JobOptions.MODERATION_LABEL),
                conf.get(JobOptions.MODERATION_THRESHOLD),
                conf.get(JobOptions.INTENT_TASK),
                conf.get(JobOptions.INTENT_TOPIC_PATTERN),
                conf.get(JobOptions.INTENT_MIN_SCORE),
                conf.get(JobOptions.INTENT_ROUTE_ABSTAINED));
    }

    /**
     * The input topic, read with read_committed so aborted upstream transactions never become
     * events.
     */
    public static KafkaSource<DecodedRecord> kafkaSource(Configuration conf) {
        return kafkaSourceBuilder(conf).build();
    }

    /** The source builder, for callers that bound it (tests, benchmarks). */
    public static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<DecodedRecord>
            kafkaSourceBuilder(Configuration conf) {
        Properties props = JobConfig.kafkaProperties(conf);
        KafkaClientConfig.override(
                props,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                "the job reads only committed records, so aborted upstream transactions never"
                        + " become events");
        OffsetsInitializer start =
                switch (conf.get(JobOptions.STARTING_OFFSETS)) {
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                    case COMMITTED_OR_EARLIEST ->
                            OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                };
        return KafkaSource.<DecodedRecord>builder()
                .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                .setTopics(conf.get(JobOptions.INPUT_TOPIC))
                .setGroupId(conf.get(JobOptions.GROUP_ID))
                .setStartingOffsets(start)
                .setProperties(props)
                .setDeserializer(TextEventDeserializationSchema.builder().configure(conf).build());
    }

    /**
     * The control topic ({@link JobOptions#CONTROL_TOPIC}) from its beginning, read_committed: a
     * fresh start replays the roll-outs and converges to the last one; a restore continues from the
     * checkpoint's offsets (the state holds the version the earlier ones left serving).
     */
    public static KafkaSource<ModelRollout> controlSource(Configuration conf) {
        Properties props = JobConfig.kafkaProperties(conf);
        KafkaClientConfig.override(
                props,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                "the job rolls out only committed model roll-outs");
        return KafkaSource.<ModelRollout>builder()
                .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                .setTopics(conf.get(JobOptions.CONTROL_TOPIC).strip())
                .setGroupId(conf.get(JobOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperties(props)
                .setDeserializer(new ModelRolloutDeserializationSchema())
                .build();
    }

    /**
     * The Kafka sinks, delivering as {@link JobOptions#DELIVERY} says: exactly-once sinks each with
     * its own transactional id prefix, or at-least-once sinks with idempotent producers.
     */
    public static JobSinks kafkaSinks(Configuration conf) {
        String prefix =
                conf.getOptional(JobOptions.TRANSACTIONAL_ID_PREFIX)
                        .orElse("bert-stream-" + conf.get(JobOptions.GROUP_ID));
        JobRecordSchemas schemas = JobRecordSchemas.from(conf);
        KafkaSink<LabeledEvent> labeled = sink(conf, prefix + "-labeled", schemas.labeled());
        KafkaSink<LabeledEvent> moderation =
                sink(conf, prefix + "-moderation", schemas.moderation());
        KafkaSink<LabeledEvent> intents =
                schemas.intents() == null
                        ? null
                        : sink(conf, prefix + "-intents", schemas.intents());
        KafkaSink<DeadLetter> deadLetters =
                sink(conf, prefix + "-dead-letters", schemas.deadLetters());
        return new JobSinks(labeled, moderation, intents, deadLetters);
    }

    private static <T> KafkaSink<T> sink(
            Configuration conf,
            String transactionalIdPrefix,
            org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> schema) {
        DeliveryMode delivery = conf.get(JobOptions.DELIVERY);
        KafkaSinkBuilder<T> builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setKafkaProducerConfig(producerProperties(conf))
                        .setDeliveryGuarantee(delivery.sinkGuarantee())
                        .setRecordSerializer(schema);
        if (delivery == DeliveryMode.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return builder.build();
    }

    /**
     * The sinks' producer settings: the user's, with what {@link JobOptions#DELIVERY} rests on
     * overridden (a WARN names any user value replaced). Exactly-once: the transaction timeout.
     * At-least-once: an idempotent producer acknowledged by all in-sync replicas, so that a
     * producer retry never writes a record twice and an acknowledged record survives a broker
     * failure; the only duplicates are the replays after a job failure.
     */
    @VisibleForTesting
    static Properties producerProperties(Configuration conf) {
        Properties props = JobConfig.kafkaProperties(conf);
        if (conf.get(JobOptions.DELIVERY) == DeliveryMode.EXACTLY_ONCE) {
            KafkaClientConfig.override(
                    props,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    String.valueOf(conf.get(JobOptions.TRANSACTION_TIMEOUT).toMillis()),
                    "the exactly-once sinks take their transaction timeout from "
                            + JobOptions.TRANSACTION_TIMEOUT.key()
                            + "; set it there");
        } else {
            String why =
                    JobOptions.DELIVERY.key()
                            + " at-least-once writes with idempotent producers, so retries"
                            + " never duplicate and acknowledged records are never lost";
            KafkaClientConfig.override(
                    props, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true", why);
            KafkaClientConfig.override(props, ProducerConfig.ACKS_CONFIG, "all", why);
        }
        return props;
    }
}
