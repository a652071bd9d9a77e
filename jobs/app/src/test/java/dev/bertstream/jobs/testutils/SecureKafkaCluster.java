package dev.bertstream.jobs.testutils;

import dev.bertstream.app.local.EmbeddedKafkaCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A single secured broker ({@link EmbeddedKafkaCluster.Builder#security}) with a certificate for
 * localhost made at test time ({@link TestCertificates}); the certificates live in the cluster's
 * work directory and go with it on close.
 */
public final class SecureKafkaCluster {

    private SecureKafkaCluster() {}

    /** Starts the broker with SCRAM users {@code users} (name to password) besides admin. */
    public static EmbeddedKafkaCluster start(Map<String, String> users) throws Exception {
        Path dir = Files.createTempDirectory("bert-stream-kafka-secure-");
        TestCertificates certs = TestCertificates.generate(dir);
        return EmbeddedKafkaCluster.builder()
                .security(
                        new EmbeddedKafkaCluster.Security(
                                certs.keystore(),
                                certs.keystorePassword(),
                                certs.truststore(),
                                certs.truststorePassword(),
                                users))
                .workDirectory(dir)
                .build()
                .start();
    }
}
