package dev.bertstream.jobs.config;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client properties file, its overlay by kafka.properties.*, and which keys are secrets. */
class KafkaClientConfigTest {

    @TempDir Path tmp;

    @Test
    void fileThenInlinePropertiesOnTop() throws Exception {
        Path file = tmp.resolve("client.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "ssl.truststore.password=file-secret\n");
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                JobOptions.CLIENT_CONFIG.key(),
                                file.toString(),
                                "kafka.properties.sasl.mechanism",
                                "SCRAM-SHA-256"));
        Properties p = KafkaClientConfig.properties(conf);
        assertThat(p)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("ssl.truststore.password", "file-secret");
    }

    @Test
    void kafkaPasswordTypesAndFlinkSensitiveKeysAreSecrets() {
        assertThat(KafkaClientConfig.isSecret("sasl.jaas.config")).isTrue();
        assertThat(KafkaClientConfig.isSecret("ssl.keystore.password")).isTrue();
        assertThat(KafkaClientConfig.isSecret("ssl.key.password")).isTrue();
        assertThat(KafkaClientConfig.isSecret("ssl.truststore.password")).isTrue();
        // Flink's key-name heuristic misses this one: a PEM private key.
        assertThat(KafkaClientConfig.isSecret("ssl.keystore.key")).isTrue();
        assertThat(KafkaClientConfig.isSecret("security.protocol")).isFalse();
        assertThat(KafkaClientConfig.isSecret("ssl.truststore.location")).isFalse();
    }

    @Test
    void flinkSeesNoSecretsButTheJobStillDoes() {
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                "kafka.properties.sasl.jaas.config", "jaas-secret",
                                "kafka.properties.ssl.keystore.key", "pem-secret",
                                "kafka.properties.security.protocol", "SASL_SSL",
                                "kafka.input-topic", "in"));
        assertThat(KafkaClientConfig.withoutSecrets(conf).toMap())
                .containsOnlyKeys("kafka.properties.security.protocol", "kafka.input-topic");
        assertThat(KafkaClientConfig.properties(conf))
                .containsEntry("sasl.jaas.config", "jaas-secret");
    }

    @Test
    void missingFileIsNamedWithoutItsContents() {
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                JobOptions.CLIENT_CONFIG.key(),
                                tmp.resolve("nope.properties").toString()));
        assertThatThrownBy(() -> JobConfig.validate(conf))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("nope.properties")
                .hasMessageContaining(JobOptions.CLIENT_CONFIG.key());
    }
}
