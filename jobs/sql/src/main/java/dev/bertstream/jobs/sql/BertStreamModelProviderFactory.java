package dev.bertstream.jobs.sql;

import dev.bertstream.jobs.inference.BundleLocator;
import dev.bertstream.jobs.inference.FailureSettings;
import dev.bertstream.jobs.inference.InferenceFailurePolicy;
import dev.bertstream.jobs.inference.InferenceSettings;
import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Flink SQL's {@code 'provider' = 'bert-stream'}: classifies {@code ML_PREDICT} rows in-process
 * with a bert-stream bundle, batched, on the same model per TaskManager as the DataStream job.
 * Found by factory discovery ({@code META-INF/services/org.apache.flink.table.factories.Factory}).
 *
 * <pre>{@code
 * CREATE MODEL chat_classifier
 *   INPUT (text STRING)
 *   OUTPUT (sentiment STRING, sentiment_score DOUBLE, toxicity STRING, toxicity_score DOUBLE)
 *   WITH ('provider' = 'bert-stream', 'bundle' = '/models/chat-en');
 * SELECT * FROM ML_PREDICT(TABLE chat_messages, MODEL chat_classifier, DESCRIPTOR(text));
 * }</pre>
 *
 * <p>The bundle is verified and its tasks read while the statement is planned: options and OUTPUT
 * columns that do not fit fail the statement, not the running job ({@link ModelSchemaCheck}).
 */
@PublicEvolving
public final class BertStreamModelProviderFactory implements ModelProviderFactory {

    /** The {@code provider} option's value. */
    public static final String IDENTIFIER = "bert-stream";

    /**
     * Model calls that may wait for an inference thread (all instances in the JVM): room for the
     * capacity of several instances and their bisection calls; beyond it calls are retried.
     */
    private static final int MIN_QUEUE = 16;

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(BertStreamModelOptions.BUNDLE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> all = new LinkedHashSet<>(BertStreamModelOptions.all());
        all.remove(BertStreamModelOptions.BUNDLE);
        return all;
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.ModelProviderFactoryHelper helper =
                FactoryUtil.createModelProviderFactoryHelper(this, context);
        helper.validate();
        String model = context.getObjectIdentifier().asSummaryString();
        ResolvedCatalogModel catalogModel = context.getCatalogModel();
        ReadableConfig options = helper.getOptions();

        ModelSchemaCheck.checkInput(model, catalogModel.getResolvedInputSchema());
        InferenceSettings inference = inferenceSettings(model, options);
        BundleManifest manifest = verifiedManifest(model, inference);
        List<OutputColumn> columns =
                ModelSchemaCheck.outputColumns(
                        model, catalogModel.getResolvedOutputSchema(), manifest);
        FailureSettings failures =
                new FailureSettings(
                        options.get(BertStreamModelOptions.TIMEOUT),
                        options.get(BertStreamModelOptions.RETRY_BACKOFF),
                        Duration.ofSeconds(5),
                        InferenceFailurePolicy.FAIL);
        return new BertStreamModelProvider(
                new BatchingPredictFunction(
                        model,
                        inference,
                        failures,
                        options.get(BertStreamModelOptions.BATCH_MAX_SIZE),
                        options.get(BertStreamModelOptions.BATCH_MAX_WAIT),
                        options.get(BertStreamModelOptions.CAPACITY),
                        columns));
    }

    /** Validates the options into the settings the shared model is keyed by. */
    static InferenceSettings inferenceSettings(String model, ReadableConfig options) {
        int maxSize = options.get(BertStreamModelOptions.BATCH_MAX_SIZE);
        positive(model, BertStreamModelOptions.BATCH_MAX_SIZE, maxSize);
        positive(
                model,
                BertStreamModelOptions.BATCH_MAX_TOKENS,
                options.get(BertStreamModelOptions.BATCH_MAX_TOKENS));
        positive(
                model,
                BertStreamModelOptions.CAPACITY,
                options.get(BertStreamModelOptions.CAPACITY));
        positive(
                model,
                BertStreamModelOptions.INFERENCE_THREADS,
                options.get(BertStreamModelOptions.INFERENCE_THREADS));
        if (options.get(BertStreamModelOptions.INTRA_OP_THREADS) < 0) {
            throw invalid(
                    model, BertStreamModelOptions.INTRA_OP_THREADS, "must be >= 0 (0 = all CPUs)");
        }
        Duration wait = options.get(BertStreamModelOptions.BATCH_MAX_WAIT);
        if (wait.isNegative()) {
            throw invalid(model, BertStreamModelOptions.BATCH_MAX_WAIT, "must not be negative");
        }
        Duration timeout = options.get(BertStreamModelOptions.TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            throw invalid(model, BertStreamModelOptions.TIMEOUT, "must be positive");
        }
        if (options.get(BertStreamModelOptions.RETRY_BACKOFF).isNegative()) {
            throw invalid(model, BertStreamModelOptions.RETRY_BACKOFF, "must not be negative");
        }
        String sha256 = options.get(BertStreamModelOptions.MODEL_SHA256);
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            throw invalid(
                    model,
                    BertStreamModelOptions.MODEL_SHA256,
                    "must be 64 hex digits (the sha256 of bundle.json), got '" + sha256 + "'");
        }
        String publicKey = options.get(BertStreamModelOptions.MODEL_PUBLIC_KEY);
        if (publicKey != null) {
            try {
                publicKey = BundleSigning.encodedPublicKey(BundleSigning.parsePublicKey(publicKey));
            } catch (IOException | RuntimeException e) {
                throw invalid(
                        model,
                        BertStreamModelOptions.MODEL_PUBLIC_KEY,
                        "cannot be read: " + e.getMessage());
            }
        }
        return new InferenceSettings(
                options.get(BertStreamModelOptions.BUNDLE),
                options.get(BertStreamModelOptions.INTRA_OP_THREADS),
                options.get(BertStreamModelOptions.INFERENCE_THREADS),
                Math.max(MIN_QUEUE, 8 * options.get(BertStreamModelOptions.CAPACITY)),
                options.get(BertStreamModelOptions.BATCH_MAX_TOKENS),
                maxSize,
                false,
                options.get(BertStreamModelOptions.BFLOAT16),
                sha256 == null ? null : sha256.toLowerCase(java.util.Locale.ROOT),
                publicKey);
    }

    /** Copies a remote bundle if needed, checks its pin, signature and files; reads its tasks. */
    private static BundleManifest verifiedManifest(String model, InferenceSettings inference) {
        try {
            return ModelBundle.verify(
                    BundleLocator.localDirectory(
                            inference.bundle(), BundleLocator.defaultCacheRoot()),
                    inference.trust());
        } catch (IOException | InvalidBundleException e) {
            throw new ValidationException(
                    String.format(
                            "Model %s: cannot use bundle '%s' (option '%s'): %s",
                            model,
                            inference.bundle(),
                            BertStreamModelOptions.BUNDLE.key(),
                            e.getMessage()),
                    e);
        }
    }

    private static void positive(String model, ConfigOption<Integer> option, int value) {
        if (value < 1) {
            throw invalid(model, option, "must be >= 1, got " + value);
        }
    }

    private static ValidationException invalid(
            String model, ConfigOption<?> option, String problem) {
        return new ValidationException(
                String.format("Model %s: option '%s' %s", model, option.key(), problem));
    }
}
