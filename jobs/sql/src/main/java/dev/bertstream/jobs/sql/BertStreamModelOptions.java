package dev.bertstream.jobs.sql;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;

import java.time.Duration;
import java.util.List;

import static org.apache.flink.configuration.ConfigOptions.key;

/**
 * The {@code WITH} options of a {@code 'provider' = 'bert-stream'} model.
 *
 * <pre>{@code
 * CREATE MODEL chat_classifier
 *   INPUT (text STRING)
 *   OUTPUT (sentiment STRING, sentiment_score DOUBLE)
 *   WITH ('provider' = 'bert-stream', 'bundle' = '/models/chat-en', 'batch.max-size' = '64');
 * }</pre>
 */
@PublicEvolving
public final class BertStreamModelOptions {

    private BertStreamModelOptions() {}

    public static final ConfigOption<String> BUNDLE =
            key("bundle")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Model bundle: a local directory or any Flink FileSystem URI (copied"
                                    + " once per TaskManager). Required. Read when the statement is"
                                    + " planned, to check the OUTPUT columns against its tasks.");
    public static final ConfigOption<String> MODEL_SHA256 =
            key("model-sha256")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Pins the bundle: sha256 (hex) of its bundle.json ('models info'"
                                    + " prints it). Checked at planning and at every load.");
    public static final ConfigOption<String> MODEL_PUBLIC_KEY =
            key("model-public-key")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Ed25519 public key (PEM file path or inline base64) bundle.sig must"
                                    + " verify with. Unset: signatures are not checked.");
    public static final ConfigOption<Integer> BATCH_MAX_SIZE =
            key("batch.max-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Max rows per model call. Rows in flight are bounded by"
                                    + " table.exec.async-ml-predict.max-concurrent-operations: set"
                                    + " it to at least batch.max-size x 2, or batches only fill up"
                                    + " to that bound.");
    public static final ConfigOption<Integer> BATCH_MAX_TOKENS =
            key("batch.max-tokens")
                    .intType()
                    .defaultValue(4096)
                    .withDescription(
                            "Padded-token budget of one session call; a model call's rows are"
                                    + " grouped by length into session calls within it.");
    public static final ConfigOption<Duration> BATCH_MAX_WAIT =
            key("batch.max-wait")
                    .durationType()
                    .defaultValue(Duration.ofMillis(20))
                    .withDescription("Max time a row waits for its batch to fill.");
    public static final ConfigOption<Integer> CAPACITY =
            key("inference.capacity")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Batches at the model per parallel instance of ML_PREDICT. While none"
                                    + " is free the next batch keeps filling past batch.max-wait"
                                    + " (up to batch.max-size), so batches grow under load.");
    public static final ConfigOption<Integer> INFERENCE_THREADS =
            key("inference.threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Threads running inference per TaskManager (per model).");
    public static final ConfigOption<Integer> INTRA_OP_THREADS =
            key("inference.intra-op-threads")
                    .intType()
                    .defaultValue(0)
                    .withDescription("TensorFlow threads per op; 0 = the CPUs this JVM may use.");
    public static final ConfigOption<Duration> TIMEOUT =
            key("inference.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Longest a batch may take, queueing and retries included. Beyond it"
                                    + " the rows fail with InferenceStalledException, the job fails"
                                    + " over to its last checkpoint and a fresh model is loaded;"
                                    + " no row is dropped. Keep it below"
                                    + " table.exec.async-ml-predict.timeout.");
    public static final ConfigOption<Duration> RETRY_BACKOFF =
            key("inference.retry-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMillis(100))
                    .withDescription(
                            "First delay before a rejected or failed model call is retried;"
                                    + " doubles per retry, up to 5 s.");
    public static final ConfigOption<Boolean> BFLOAT16 =
            key("inference.bfloat16")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Run the model's matmuls in bfloat16 on CPUs with AVX-512 BF16 or AMX.");

    /** Every option, in documentation order. */
    public static List<ConfigOption<?>> all() {
        return List.of(
                BUNDLE,
                MODEL_SHA256,
                MODEL_PUBLIC_KEY,
                BATCH_MAX_SIZE,
                BATCH_MAX_TOKENS,
                BATCH_MAX_WAIT,
                CAPACITY,
                INFERENCE_THREADS,
                INTRA_OP_THREADS,
                TIMEOUT,
                RETRY_BACKOFF,
                BFLOAT16);
    }
}
