package dev.bertstream.jobs.config;

import dev.bertstream.jobs.testutils.LogCapture;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobConfigTest {

    private static final List<String> REQUIRED =
            List.of("--kafka.bootstrap-servers", "b:9092", "--inference.model", "/m");
    private static final List<String> SINGLE_OBJECT =
            List.of(
                    "--serde.input.format",
                    "SINGLE_OBJECT",
                    "--serde.output.format",
                    "SINGLE_OBJECT");

    @TempDir Path tmp;

    @Test
    void yamlAndOverridesAreMergedAndTyped() throws Exception {
        Path yaml = tmp.resolve("job.yaml");
        Files.writeString(
                yaml,
                """
                kafka:
                  bootstrap-servers: broker:9092
                  properties:
                    security.protocol: SASL_SSL
                inference:
                  model: /models/chat
                batching.max-size: 32
                serde.input.format: JSON
                serde.output.format: SINGLE_OBJECT
                """);
        Configuration conf =
                JobConfig.load(
                        yaml, List.of("--batching.max-size", "128", "--batching.max-wait", "5 ms"));
        assertThat(conf.get(JobOptions.BATCH_MAX_SIZE)).isEqualTo(128);
        assertThat(conf.get(JobOptions.BATCH_MAX_WAIT)).isEqualTo(Duration.ofMillis(5));
        assertThat(conf.get(JobOptions.MODEL)).isEqualTo("/models/chat");
        assertThat(JobConfig.kafkaProperties(conf)).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void badConfigFailsNamingTheKey() {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThatThrownBy(() -> JobConfig.load(null, List.of("--inference.model", "/m")))
                .hasMessageContaining("kafka.bootstrap-servers");
        assertThatThrownBy(() -> JobConfig.load(null, concat(base, "--batching.max-sise", "3")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batching.max-sise")
                .hasMessageContaining("did you mean 'batching.max-size'");
        assertThatThrownBy(() -> JobConfig.load(null, concat(base, "--batching.max-size", "0")))
                .hasMessageContaining("batching.max-size must be >= 1");
        assertThatThrownBy(() -> JobConfig.load(null, concat(base, "--batching.max-size", "many")))
                .hasMessageContaining("Invalid value");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(base, "--routing.moderation-threshold", "1.5")))
                .hasMessageContaining("routing.moderation-threshold");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                base,
                                                "--kafka.transaction-timeout",
                                                "10 s",
                                                "--job.checkpoint-interval",
                                                "10 s")))
                .hasMessageContaining("kafka.transaction-timeout")
                .hasMessageContaining("data is lost");
        assertThatThrownBy(() -> JobConfig.load(tmp.resolve("missing.yaml"), List.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> JobConfig.load(null, List.of("--dangling")))
                .hasMessageContaining("--key value");
    }

    @Test
    void startingOffsetsAcceptTheWrittenValuesAndDefaultToCommittedOrEarliest() throws Exception {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThat(JobConfig.load(null, base).get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(StartingOffsets.COMMITTED_OR_EARLIEST);
        assertThat(
                        JobConfig.load(null, concat(base, "--kafka.starting-offsets", "earliest"))
                                .get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(StartingOffsets.EARLIEST);
        assertThat(
                        JobConfig.load(null, concat(base, "--kafka.starting-offsets", "latest"))
                                .get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(StartingOffsets.LATEST);
        assertThat(
                        JobConfig.load(
                                        null,
                                        concat(
                                                base,
                                                "--kafka.starting-offsets",
                                                "committed-or-earliest"))
                                .get(JobOptions.STARTING_OFFSETS))
                .isEqualTo(StartingOffsets.COMMITTED_OR_EARLIEST);
    }

    @Test
    void deliveryAcceptsTheWrittenValuesAndDefaultsToExactlyOnce() throws Exception {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThat(JobConfig.load(null, base).get(JobOptions.DELIVERY))
                .isEqualTo(DeliveryMode.EXACTLY_ONCE);
        assertThat(
                        JobConfig.load(null, concat(base, "--job.delivery", "at-least-once"))
                                .get(JobOptions.DELIVERY))
                .isEqualTo(DeliveryMode.AT_LEAST_ONCE);
        assertThat(
                        JobConfig.load(null, concat(base, "--job.delivery", "exactly-once"))
                                .get(JobOptions.DELIVERY))
                .isEqualTo(DeliveryMode.EXACTLY_ONCE);
        assertThatThrownBy(
                        () -> JobConfig.load(null, concat(base, "--job.delivery", "at-most-once")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid value of 'job.delivery'")
                .hasMessageContaining("valid values: exactly-once, at-least-once");
    }

    @Test
    void theTransactionTimeoutIsCheckedOnlyWhereThereAreTransactions() throws Exception {
        List<String> shortTimeout =
                concat(
                        concat(REQUIRED, SINGLE_OBJECT),
                        "--kafka.transaction-timeout",
                        "10 s",
                        "--job.checkpoint-interval",
                        "1 min");
        assertThatThrownBy(() -> JobConfig.load(null, shortTimeout))
                .hasMessageContaining("kafka.transaction-timeout");
        assertThat(
                        JobConfig.load(
                                        null,
                                        concat(shortTimeout, "--job.delivery", "at-least-once"))
                                .get(JobOptions.DELIVERY))
                .isEqualTo(DeliveryMode.AT_LEAST_ONCE);
    }

    @Test
    void theEffectiveConfigurationIsLoggedAtLoadWithoutSecrets() throws Exception {
        List<String> args =
                concat(
                        concat(REQUIRED, SINGLE_OBJECT),
                        "--kafka.properties.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"u\" password=\"hunter2\";",
                        "--kafka.properties.security.protocol",
                        "SASL_SSL",
                        "--batching.max-size",
                        "17");
        try (LogCapture log = LogCapture.start()) {
            JobConfig.load(null, args);
            assertThat(log.text())
                    .contains("Job configuration (no file, 7 overrides)")
                    .contains("batching.max-size: 17\n")
                    .contains("batching.max-tokens: 4096 (default)")
                    .contains("kafka.starting-offsets: committed-or-earliest (default)")
                    .contains("kafka.transaction-timeout: 15 min (default)")
                    .contains("kafka.properties.security.protocol: SASL_SSL")
                    .contains("kafka.properties.sasl.jaas.config: ******")
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void anInvalidStartingOffsetFailsListingTheValidValues() {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null, concat(base, "--kafka.starting-offsets", "newest")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid value of 'kafka.starting-offsets'")
                .hasMessageContaining("valid values: earliest, latest, committed-or-earliest");
    }

    @Test
    void missingRequiredOptionPrintsItsDescriptionText() {
        assertThatThrownBy(() -> JobConfig.load(null, List.of("--kafka.bootstrap-servers", "b:1")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "Missing required option 'inference.model': Model bundle: a local directory"
                                + " or any Flink FileSystem URI (copied once per TaskManager)."
                                + " Required.")
                .hasMessageNotContaining("org.apache.flink.configuration.description");
    }

    @Test
    void onlyTheRequiredOptionsNamesEveryMissingSchemaIdAtOnceAndHowToPickAnotherFormat() {
        assertThatThrownBy(() -> JobConfig.load(null, REQUIRED))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("3 problems in the configuration:")
                .hasMessageContaining(
                        "serde.input.confluent.schema-id is required when serde.input.format is"
                                + " CONFLUENT")
                .hasMessageContaining("serde.output.confluent.labeled-event.schema-id is required")
                .hasMessageContaining("serde.output.confluent.dead-letter.schema-id is required")
                .hasMessageContaining(
                        "To use another wire format set serde.input.format (one of CONFLUENT,"
                                + " SINGLE_OBJECT, JSON) and serde.output.format (one of CONFLUENT,"
                                + " SINGLE_OBJECT)");
    }

    @Test
    void everyProblemIsReportedInOneMessage() {
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        List.of(
                                                "--batching.max-sise",
                                                "3",
                                                "--batching.max-wait",
                                                "soon",
                                                "--inference.capacity",
                                                "0",
                                                "--serde.input.format",
                                                "JSON")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("7 problems in the configuration:")
                .hasMessageContaining("Unknown option 'batching.max-sise'")
                .hasMessageContaining("Invalid value of 'batching.max-wait'")
                .hasMessageContaining("Missing required option 'kafka.bootstrap-servers'")
                .hasMessageContaining("Missing required option 'inference.model'")
                .hasMessageContaining("inference.capacity must be >= 1, got 0")
                .hasMessageContaining("serde.output.confluent.labeled-event.schema-id")
                .hasMessageContaining("serde.output.confluent.dead-letter.schema-id")
                .hasMessageNotContaining("serde.input.confluent.schema-id");
        // Confluent framing with its ids is fine; no hint about formats when nothing is wrong
        // there.
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                REQUIRED,
                                                "--serde.input.confluent.schema-id",
                                                "1",
                                                "--serde.output.confluent.labeled-event.schema-id",
                                                "2",
                                                "--serde.output.confluent.dead-letter.schema-id",
                                                "3",
                                                "--job.parallelism",
                                                "0")))
                .hasMessage("job.parallelism must be >= 1, got 0");
    }

    @Test
    void flinkOptionsPassThrough() throws Exception {
        Configuration conf =
                JobConfig.load(
                        null,
                        concat(
                                concat(REQUIRED, SINGLE_OBJECT),
                                "--state.checkpoints.dir",
                                "s3://bucket/cp"));
        assertThat(conf.toMap()).containsEntry("state.checkpoints.dir", "s3://bucket/cp");
    }

    @Test
    void deadLetterCapsThatCanExceedTheProducersRequestSizeAreRefused() throws Exception {
        List<String> required =
                List.of(
                        "--kafka.bootstrap-servers",
                        "b:9092",
                        "--inference.model",
                        "/m",
                        "--serde.input.format",
                        "JSON",
                        "--serde.output.format",
                        "SINGLE_OBJECT");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                required,
                                                "--serde.dead-letter.max-value-bytes",
                                                "1048576")))
                .hasMessageContaining("max.request.size (1048576)")
                .hasMessageContaining("serde.dead-letter.max-value-bytes");
        // Raising the producer's limit with it is the documented way out.
        JobConfig.load(
                null,
                concat(
                        required,
                        "--serde.dead-letter.max-value-bytes",
                        "1048576",
                        "--kafka.properties.max.request.size",
                        "2097152"));
    }

    @Test
    void malformedModelDigestAndUnreadablePublicKeyAreNamedAtStartUp() {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                base,
                                                "--inference.model-sha256",
                                                "abc",
                                                "--inference.model-public-key",
                                                tmp.resolve("missing.pub").toString())))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("inference.model-sha256: A bundle.json digest is 64 hex")
                .hasMessageContaining("inference.model-public-key: cannot read")
                .hasMessageContaining("missing.pub");
    }

    @Test
    void languageBundlesAreReadFromLangEqualsBundleEntriesAndFromAYamlList() throws Exception {
        Configuration flags =
                JobConfig.load(
                        null,
                        concat(
                                concat(REQUIRED, SINGLE_OBJECT),
                                "--inference.language-models",
                                "zh=/models/chat-zh;JA=s3://models/chat-ja"));
        assertThat(LanguageBundles.from(flags).bundles())
                .containsExactly(
                        Map.entry("zh", "/models/chat-zh"), Map.entry("ja", "s3://models/chat-ja"));
        Path yaml = tmp.resolve("job.yaml");
        Files.writeString(
                yaml,
                """
                kafka.bootstrap-servers: broker:9092
                serde.input.format: JSON
                serde.output.format: SINGLE_OBJECT
                inference:
                  model: /models/chat
                  language-models:
                    - zh=/models/chat-zh
                """);
        assertThat(LanguageBundles.from(JobConfig.load(yaml, List.of())).bundles())
                .containsExactly(Map.entry("zh", "/models/chat-zh"));
    }

    @Test
    void malformedLanguageBundleEntriesAreNamedWithTheFormToUse() {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                base,
                                                "--inference.language-models",
                                                "zh:/models/zh;chinese=/models/zh;ja=/a;JA=/b;ko=")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "inference.language-models: cannot read 'zh:/models/zh'; write LANG=VALUE")
                .hasMessageContaining("'chinese' is not a language tag")
                .hasMessageContaining("language 'JA' is listed twice")
                .hasMessageContaining("cannot read 'ko='");
    }

    @Test
    void aYamlMapOfLanguageBundlesIsRefusedShowingTheListForm() throws Exception {
        Path yaml = tmp.resolve("job.yaml");
        Files.writeString(
                yaml,
                """
                kafka.bootstrap-servers: broker:9092
                serde.input.format: JSON
                serde.output.format: SINGLE_OBJECT
                inference:
                  model: /models/chat
                  language-models:
                    zh: /models/chat-zh
                """);
        assertThatThrownBy(() -> JobConfig.load(yaml, List.of()))
                .hasMessageContaining("Unknown option 'inference.language-models.zh'")
                .hasMessageContaining("write 'inference.language-models: zh=BUNDLE'");
    }

    @Test
    void whenTheDefaultBundleIsPinnedEveryLanguageBundleMustBePinnedToo() throws Exception {
        String pin = "a".repeat(64);
        List<String> base =
                concat(
                        concat(REQUIRED, SINGLE_OBJECT),
                        "--inference.model-sha256",
                        pin,
                        "--inference.language-models",
                        "zh=/models/zh;ja=/models/ja");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                base,
                                                "--inference.language-model-sha256",
                                                "zh=" + pin)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "inference.model-sha256 pins the default bundle, but the language bundles"
                                + " of [ja] are not pinned")
                .hasMessageContaining("add ja=<sha256> to inference.language-model-sha256");
        Configuration pinned =
                JobConfig.load(
                        null,
                        concat(
                                base,
                                "--inference.language-model-sha256",
                                "zh=" + pin + ";ja=" + "b".repeat(64)));
        assertThat(LanguageBundles.from(pinned).sha256())
                .containsExactly(Map.entry("zh", pin), Map.entry("ja", "b".repeat(64)));
    }

    @Test
    void aLanguagePinMustBeADigestOfAConfiguredLanguage() {
        List<String> base =
                concat(
                        concat(REQUIRED, SINGLE_OBJECT),
                        "--inference.language-models",
                        "zh=/models/zh");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(
                                                base,
                                                "--inference.language-model-sha256",
                                                "zh=abc;ko=" + "a".repeat(64))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "inference.language-model-sha256 (zh): A bundle.json digest is 64 hex")
                .hasMessageContaining(
                        "inference.language-model-sha256 pins a bundle for 'ko', but"
                                + " inference.language-models has no 'ko' entry");
    }

    @Test
    void theControlTopicIsOffByDefaultAndMustNotBeADataTopicAndRolloutLoadsHaveAPositiveTimeout()
            throws Exception {
        List<String> base = concat(REQUIRED, SINGLE_OBJECT);
        assertThat(JobConfig.load(null, base).get(JobOptions.CONTROL_TOPIC)).isEmpty();
        assertThat(
                        JobConfig.load(null, concat(base, "--job.control-topic", "models.control"))
                                .get(JobOptions.CONTROL_TOPIC))
                .isEqualTo("models.control");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null,
                                        concat(base, "--job.control-topic", "chat.text-events")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(
                        "job.control-topic must be a topic of its own; it is kafka.input-topic");
        assertThatThrownBy(
                        () ->
                                JobConfig.load(
                                        null, concat(base, "--job.rollout-load-timeout", "0 s")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("job.rollout-load-timeout must be positive");
    }

    @Test
    void readmeHasTheGeneratedConfigTable() throws Exception {
        String readme = Files.readString(Path.of("..", "..", "README.md"));
        assertThat(readme)
                .as("README.md config table is stale: regenerate it with ConfigDocs.main")
                .contains(ConfigDocs.markdownTable());
    }

    private static List<String> concat(List<String> a, String... b) {
        return concat(a, List.of(b));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
