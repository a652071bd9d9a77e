package dev.bertstream.jobs.config;

import dev.bertstream.jobs.inference.InferenceFailurePolicy;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;

import java.time.Duration;
import java.util.List;

import static org.apache.flink.configuration.ConfigOptions.key;

/**
 * Every option of the classification job, declared once with key, type, default and description.
 * The README's configuration table is generated from these constants ({@link ConfigDocs}).
 */
@PublicEvolving
public final class JobOptions {

    private JobOptions() {}

    // Kafka
    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka bootstrap servers, e.g. broker1:9092,broker2:9092. Required.");
    public static final ConfigOption<String> INPUT_TOPIC =
            key("kafka.input-topic")
                    .stringType()
                    .defaultValue("chat.text-events")
                    .withDescription("Topic of input TextEvents.");
    public static final ConfigOption<String> LABELED_TOPIC =
            key("kafka.labeled-topic")
                    .stringType()
                    .defaultValue("chat.labeled")
                    .withDescription("Topic every labeled event is written to.");
    public static final ConfigOption<String> MODERATION_TOPIC =
            key("kafka.moderation-topic")
                    .stringType()
                    .defaultValue("chat.moderation")
                    .withDescription("Topic of labeled events flagged by the moderation rule.");
    public static final ConfigOption<String> INTENT_TOPIC_PATTERN =
            key("kafka.intent-topic-pattern")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Topic per intent, '{label}' replaced by the intent label, e.g. "
                                    + "'chat.intent.{label}'. Empty: no intent routing.");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            key("kafka.dead-letter-topic")
                    .stringType()
                    .defaultValue("chat.dead-letters")
                    .withDescription("Topic of records that could not be decoded or classified.");
    public static final ConfigOption<String> GROUP_ID =
            key("kafka.group-id")
                    .stringType()
                    .defaultValue("bert-stream")
                    .withDescription("Consumer group id (offsets are committed on checkpoints).");
    public static final ConfigOption<String> CLIENT_CONFIG =
            key("kafka.client-config")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka client properties file (security.protocol, sasl.*, ssl.*), read"
                                    + " like the --command-config of Kafka's own tools and given to"
                                    + " the source, the sinks and the start-up check;"
                                    + " kafka.properties.* override it. Keep secrets here rather"
                                    + " than in the job configuration: only the path reaches"
                                    + " Flink's configuration and web UI. 'bert-stream run'"
                                    + " sets it with --kafka-config.");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            key("kafka.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the sinks' transactional ids; must be unique per job on the "
                                    + "cluster. Default: 'bert-stream-' + the group id.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Kafka transaction timeout of the exactly-once sinks (unused with"
                                    + " job.delivery at-least-once). "
                                    + "Must not exceed the brokers' transaction.max.timeout.ms (default 15 min) and must exceed the "
                                    + "checkpoint interval plus the longest expected restart, or committed data is lost.");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            key("kafka.starting-offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.COMMITTED_OR_EARLIEST)
                    .withDescription(
                            "Where the job starts reading the input topic when it starts without"
                                    + " a checkpoint or savepoint: earliest | latest |"
                                    + " committed-or-earliest (the group's committed offsets,"
                                    + " the earliest where there is none).");
    public static final ConfigOption<Duration> STARTUP_CHECK_TIMEOUT =
            key("kafka.startup-check-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How long the job waits at start-up for the brokers to answer and list "
                                    + "the input and output topics; after that it fails naming the "
                                    + "servers, or naming the topics that are missing. 0 s skips the check.");

    // Checkpointing
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("job.checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Checkpoint interval; with job.delivery exactly-once, outputs"
                                    + " become visible to read_committed consumers at each"
                                    + " checkpoint, so it bounds end-to-end latency from below.");
    public static final ConfigOption<DeliveryMode> DELIVERY =
            key("job.delivery")
                    .enumType(DeliveryMode.class)
                    .defaultValue(DeliveryMode.EXACTLY_ONCE)
                    .withDescription(
                            "exactly-once | at-least-once. exactly-once: transactional sinks, no"
                                    + " duplicates, but read_committed consumers see an output only"
                                    + " once the next checkpoint commits (end-to-end latency of at"
                                    + " least the checkpoint interval). at-least-once: idempotent"
                                    + " producers (enable.idempotence, acks=all) without"
                                    + " transactions, outputs visible as soon as they are labeled;"
                                    + " after a failure the events since the last checkpoint are"
                                    + " labeled again, so consumers de-duplicate by event.event_id.");
    public static final ConfigOption<String> CONTROL_TOPIC =
            key("job.control-topic")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Topic of model roll-outs, JSON objects {\"bundle_uri\": ..,"
                                    + " \"version\": .., \"sha256\": ..} (sha256 of the bundle's"
                                    + " bundle.json). Each TaskManager loads and warms the bundle"
                                    + " beside the serving one and the job switches to it at the"
                                    + " next checkpoint, without a restart; a bundle that fails to"
                                    + " load or verify is rejected and the old one keeps serving."
                                    + " Read from the beginning on a fresh start. Empty: no hot"
                                    + " roll-out.");
    public static final ConfigOption<Duration> ROLLOUT_LOAD_TIMEOUT =
            key("job.rollout-load-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "Longest a rolled-out bundle may take to copy, verify, load and warm"
                                    + " up. A load that takes longer (a hung remote file system)"
                                    + " is rejected like a bundle that fails to verify: counted in"
                                    + " modelRolloutsRejected, the old model keeps serving, and a"
                                    + " checkpoint barrier waiting for the load passes. Keep it"
                                    + " below the checkpoint timeout, so a hung load never fails a"
                                    + " checkpoint.");
    public static final ConfigOption<Integer> PARALLELISM =
            key("job.parallelism")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Parallelism of the job.");

    // Batching
    public static final ConfigOption<Integer> BATCH_MAX_SIZE =
            key("batching.max-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Max events per micro-batch.");
    public static final ConfigOption<Integer> BATCH_MAX_TOKENS =
            key("batching.max-tokens")
                    .intType()
                    .defaultValue(4096)
                    .withDescription(
                            "Max estimated tokens per micro-batch (the padded-token budget of one inference call).");
    public static final ConfigOption<Duration> BATCH_MAX_WAIT =
            key("batching.max-wait")
                    .durationType()
                    .defaultValue(Duration.ofMillis(20))
                    .withDescription("Max time an event waits in a micro-batch.");
    public static final ConfigOption<Boolean> BATCH_FLUSH_WHEN_IDLE =
            key("batching.flush-when-idle")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Send buffered events at once when no batch is in flight, instead of"
                                    + " waiting up to batching.max-wait: batches form while the model"
                                    + " is busy, so at low rates an event waits only for the model;"
                                    + " false always waits (larger batches at low rates, more latency).");

    // Inference
    public static final ConfigOption<String> MODEL =
            key("inference.model")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Model bundle: a local directory or any Flink FileSystem URI (copied once per "
                                    + "TaskManager). Required.");
    public static final ConfigOption<String> MODEL_SHA256 =
            key("inference.model-sha256")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Pins the bundle: sha256 (hex) of its bundle.json, which lists the sha256 of "
                                    + "every other file, so the pin covers them all ('models info' prints it). "
                                    + "A bundle with another manifest is refused at load. Unset: not pinned.");
    public static final ConfigOption<String> MODEL_PUBLIC_KEY =
            key("inference.model-public-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Ed25519 public key the bundle's bundle.sig must verify with ('models sign'): "
                                    + "a PEM or DER X.509 file where the job is submitted, or the key inline "
                                    + "as 'models keygen' prints it (MCowBQYDK2VwAyEA...). Unset: signatures "
                                    + "are not checked.");
    public static final ConfigOption<List<String>> LANGUAGE_MODELS =
            key("inference.language-models")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Model bundles of their own for some languages: LANG=BUNDLE entries"
                                    + " separated by ';' (or a YAML list), e.g."
                                    + " 'zh=/models/chat-zh;ja=s3://models/chat-ja'. Each event"
                                    + " goes to the bundle of its 'lang' tag (its longest"
                                    + " configured prefix: zh-CN goes to zh) or, when it has no"
                                    + " tag, of its text's script (Han: zh, kana: ja, Hangul: ko,"
                                    + " Cyrillic: ru, Arabic: ar, ...); every other event to"
                                    + " inference.model. A micro-batch holds the events of one"
                                    + " bundle. Every bundle is verified like inference.model:"
                                    + " inference.model-public-key applies to each, and when"
                                    + " inference.model-sha256 is set each language bundle needs"
                                    + " its own pin in inference.language-model-sha256. Unset:"
                                    + " inference.model labels every event.");
    public static final ConfigOption<List<String>> LANGUAGE_MODEL_SHA256 =
            key("inference.language-model-sha256")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Pins the language bundles as inference.model-sha256 pins the"
                                    + " default one: LANG=SHA256 entries separated by ';', one"
                                    + " per language of inference.language-models. Required for"
                                    + " all of them when inference.model-sha256 is set, so that"
                                    + " no bundle loads unpinned.");
    public static final ConfigOption<Integer> CAPACITY =
            key("inference.capacity")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Batches in flight per parallel instance. When a batch is due and none"
                                    + " is free, the task waits: backpressure reaches the source.");
    public static final ConfigOption<Duration> TIMEOUT =
            key("inference.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Longest a batch may take, waiting for the model and retries included."
                                    + " When it is exceeded the job fails over to its last"
                                    + " checkpoint with a freshly loaded model; a stall never"
                                    + " sends events to the dead-letter topic. Set it above the"
                                    + " longest pause you expect (GC, CPU throttling).");
    public static final ConfigOption<Duration> RETRY_BACKOFF =
            key("inference.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMillis(100))
                    .withDescription(
                            "First delay before a rejected (model queue full) or failed call is"
                                    + " retried; doubles each retry, up to 5 s.");
    public static final ConfigOption<InferenceFailurePolicy> ON_FAILURE =
            key("inference.on-failure")
                    .enumType(InferenceFailurePolicy.class)
                    .defaultValue(InferenceFailurePolicy.DEAD_LETTER)
                    .withDescription(
                            "What happens to an event that makes the model fail on its own (a"
                                    + " failing batch is split until such events are found; the"
                                    + " rest of the batch is labeled): DEAD_LETTER sends it to"
                                    + " the dead-letter topic (reason INFERENCE_FAILED), FAIL"
                                    + " fails the job naming its topic, partition and offset.");
    public static final ConfigOption<Integer> INTRA_OP_THREADS =
            key("inference.intra-op-threads")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "TensorFlow threads per op (0: the CPUs the container may use, from"
                                    + " its CPU quota).");
    public static final ConfigOption<Integer> INFERENCE_THREADS =
            key("inference.threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Threads running inference per TaskManager (per model).");
    public static final ConfigOption<Boolean> USE_GPU =
            key("inference.gpu")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Run the model on the GPU (needs the image built with -Pgpu).");

    public static final ConfigOption<Boolean> BFLOAT16 =
            key("inference.bfloat16")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Run the model's matmuls in bfloat16 on CPUs with AVX-512 BF16 or AMX: about 1.35x the "
                                    + "throughput on the chat mix (docs/BENCHMARKS.md), embeddings within cosine 0.9997 of float32. "
                                    + "Check the labels on your own data before turning it on.");

    // Routing
    public static final ConfigOption<String> MODERATION_TASK =
            key("routing.moderation-task")
                    .stringType()
                    .defaultValue("toxicity")
                    .withDescription("Task whose score flags events for moderation.");
    public static final ConfigOption<String> MODERATION_LABEL =
            key("routing.moderation-label")
                    .stringType()
                    .defaultValue("toxic")
                    .withDescription("Label of the moderation task that flags an event.");
    public static final ConfigOption<Double> MODERATION_THRESHOLD =
            key("routing.moderation-threshold")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "Min probability of the moderation label that flags an event.");
    public static final ConfigOption<String> INTENT_TASK =
            key("routing.intent-task")
                    .stringType()
                    .defaultValue("intent")
                    .withDescription("Task whose label routes events to intent topics.");
    public static final ConfigOption<Boolean> INTENT_ROUTE_ABSTAINED =
            key("routing.intent-route-abstained")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Route events whose intent is the model's abstain label (e.g. 'oos':"
                                    + " not recognised as any intent) to that label's topic too."
                                    + " Off: they stay in the labeled topic only.");
    public static final ConfigOption<Double> INTENT_MIN_SCORE =
            key("routing.intent-min-score")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription("Min score of the intent label to route an event.");

    /** All options, in documentation order. */
    public static List<ConfigOption<?>> all() {
        return List.of(
                BOOTSTRAP_SERVERS,
                INPUT_TOPIC,
                LABELED_TOPIC,
                MODERATION_TOPIC,
                INTENT_TOPIC_PATTERN,
                DEAD_LETTER_TOPIC,
                GROUP_ID,
                CLIENT_CONFIG,
                TRANSACTIONAL_ID_PREFIX,
                TRANSACTION_TIMEOUT,
                STARTING_OFFSETS,
                STARTUP_CHECK_TIMEOUT,
                CHECKPOINT_INTERVAL,
                DELIVERY,
                CONTROL_TOPIC,
                ROLLOUT_LOAD_TIMEOUT,
                PARALLELISM,
                BATCH_MAX_SIZE,
                BATCH_MAX_TOKENS,
                BATCH_MAX_WAIT,
                BATCH_FLUSH_WHEN_IDLE,
                MODEL,
                MODEL_SHA256,
                MODEL_PUBLIC_KEY,
                LANGUAGE_MODELS,
                LANGUAGE_MODEL_SHA256,
                CAPACITY,
                TIMEOUT,
                RETRY_BACKOFF,
                ON_FAILURE,
                INTRA_OP_THREADS,
                INFERENCE_THREADS,
                USE_GPU,
                BFLOAT16,
                MODERATION_TASK,
                MODERATION_LABEL,
                MODERATION_THRESHOLD,
                INTENT_TASK,
                INTENT_MIN_SCORE,
                INTENT_ROUTE_ABSTAINED);
    }
}
