package dev.bertstream.jobs.sql;

import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.models.bundle.ModelBundle;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.CatalogModel;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogModel;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.ml.ModelProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider as the planner creates it: options validated, the bundle verified and the OUTPUT
 * columns checked against its tasks at planning time, found by factory discovery.
 */
class BertStreamModelProviderFactoryTest {

    @TempDir static Path dir;
    static Path bundle;

    @BeforeAll
    static void writeBundle() throws Exception {
        bundle = TestBundles.chatBundle(dir.resolve("chat"), "3");
    }

    @Test
    void optionsBecomeTheSharedModelsSettingsAndTheBatchingLimits() {
        Map<String, String> options = options();
        options.put("batch.max-size", "48");
        options.put("batch.max-wait", "7 ms");
        options.put("inference.threads", "2");
        options.put("inference.capacity", "3");
        options.put("inference.timeout", "9 s");
        options.put("model-sha256", ModelBundle.manifestSha256(bundle));

        BertStreamModelProvider provider = (BertStreamModelProvider) create(options, chatOutput());

        BatchingPredictFunction f = provider.function();
        assertThat(f.maxBatchSize()).isEqualTo(48);
        assertThat(f.maxWait()).isEqualTo(Duration.ofMillis(7));
        assertThat(f.inference().inferenceThreads()).isEqualTo(2);
        assertThat(f.capacity()).isEqualTo(3);
        assertThat(f.inference().modelSha256()).isEqualTo(ModelBundle.manifestSha256(bundle));
        assertThat(f.failures().timeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(f.columns())
                .extracting(OutputColumn::task)
                .containsExactly(
                        "sentiment", "sentiment", "toxicity", "toxicity", "intent", "intent");
    }

    @Test
    void aNonPositiveBatchSizeIsRefusedNamingTheOption() {
        Map<String, String> options = options();
        options.put("batch.max-size", "0");
        assertThat(problem(options, chatOutput()))
                .contains("option 'batch.max-size' must be >= 1, got 0");
    }

    @Test
    void aNonPositiveTimeoutIsRefused() {
        Map<String, String> options = options();
        options.put("inference.timeout", "0 s");
        assertThat(problem(options, chatOutput()))
                .contains("option 'inference.timeout' must be positive");
    }

    @Test
    void anUnknownOptionIsRefusedByName() {
        Map<String, String> options = options();
        options.put("batch-size", "32");
        assertThat(problem(options, chatOutput())).contains("batch-size");
    }

    @Test
    void theBundleIsRequired() {
        Map<String, String> options = options();
        options.remove("bundle");
        assertThat(problem(options, chatOutput()))
                .contains("Missing required options are:")
                .contains("bundle");
    }

    @Test
    void aMalformedPinIsRefusedBeforeAnyBundleIsRead() {
        Map<String, String> options = options();
        options.put("model-sha256", "abc");
        assertThat(problem(options, chatOutput()))
                .contains("option 'model-sha256' must be 64 hex digits");
    }

    @Test
    void aBundleThatDoesNotMatchItsPinFailsThePlanning() {
        Map<String, String> options = options();
        options.put("model-sha256", "0".repeat(64));
        assertThat(problem(options, chatOutput())).contains("cannot use bundle '" + bundle + "'");
    }

    @Test
    void aMissingBundleFailsThePlanningNamingIt() {
        Map<String, String> options = options();
        options.put("bundle", dir.resolve("nowhere").toString());
        assertThat(problem(options, chatOutput())).contains("nowhere");
    }

    @Test
    void anOutputColumnOfNoTaskFailsThePlanningNamingColumnAndTasks() {
        ResolvedSchema output =
                ResolvedSchema.of(
                        Column.physical("sentiment", DataTypes.STRING()),
                        Column.physical("emotion", DataTypes.STRING()));
        assertThat(problem(options(), output))
                .contains("OUTPUT column 'emotion'")
                .contains("[sentiment, toxicity, intent]");
    }

    @Test
    void thePlannerFindsTheProviderAndChecksTheColumnsWhenMlPredictIsPlanned() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.executeSql(
                "CREATE TEMPORARY VIEW chat_messages AS SELECT * FROM (VALUES (1, 'hello'))"
                        + " AS t(id, text)");
        env.executeSql(
                "CREATE MODEL chat_classifier INPUT (text STRING) OUTPUT (sentiment STRING,"
                        + " sentiment_score DOUBLE) WITH ('provider' = 'bert-stream', 'bundle' = '"
                        + bundle
                        + "')");
        String plan =
                env.explainSql(
                        "SELECT id, sentiment, sentiment_score FROM ML_PREDICT(TABLE"
                                + " chat_messages, MODEL chat_classifier, DESCRIPTOR(text))");
        assertThat(plan).containsIgnoringCase("ML_PREDICT");

        env.executeSql(
                "CREATE MODEL misspelt INPUT (text STRING) OUTPUT (sentimet STRING) WITH"
                        + " ('provider' = 'bert-stream', 'bundle' = '"
                        + bundle
                        + "')");
        assertThatThrownBy(
                        () ->
                                env.explainSql(
                                        "SELECT * FROM ML_PREDICT(TABLE chat_messages, MODEL"
                                                + " misspelt, DESCRIPTOR(text))"))
                .rootCause()
                .hasMessageContaining("OUTPUT column 'sentimet'")
                .hasMessageContaining("[sentiment, toxicity, intent]");
    }

    /**
     * Creates the provider as the planner does and returns the messages of the failure and its
     * causes (FactoryUtil wraps the provider's own message in a generic one).
     */
    private static String problem(Map<String, String> options, ResolvedSchema output) {
        try {
            create(options, output);
        } catch (ValidationException e) {
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                sb.append(t.getMessage()).append('\n');
            }
            return sb.toString();
        }
        throw new AssertionError("the provider was created");
    }

    private static Map<String, String> options() {
        Map<String, String> m = new HashMap<>();
        m.put("provider", "bert-stream");
        m.put("bundle", bundle.toString());
        return m;
    }

    private static ResolvedSchema chatOutput() {
        return ResolvedSchema.of(
                Column.physical("sentiment", DataTypes.STRING()),
                Column.physical("sentiment_score", DataTypes.DOUBLE()),
                Column.physical("toxicity", DataTypes.STRING()),
                Column.physical("toxicity_score", DataTypes.DOUBLE()),
                Column.physical("intent", DataTypes.STRING()),
                Column.physical("intent_score", DataTypes.DOUBLE()));
    }

    private static ModelProvider create(Map<String, String> options, ResolvedSchema output) {
        ResolvedSchema input = ResolvedSchema.of(Column.physical("text", DataTypes.STRING()));
        CatalogModel model =
                CatalogModel.of(
                        Schema.newBuilder().fromResolvedSchema(input).build(),
                        Schema.newBuilder().fromResolvedSchema(output).build(),
                        options,
                        null);
        return FactoryUtil.createModelProvider(
                new BertStreamModelProviderFactory(),
                ObjectIdentifier.of("cat", "db", "chat_classifier"),
                ResolvedCatalogModel.of(model, input, output),
                new Configuration(),
                BertStreamModelProviderFactoryTest.class.getClassLoader(),
                false);
    }
}
