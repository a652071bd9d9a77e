package dev.bertstream.jobs.testutils;

import dev.bertstream.app.local.EmbeddedKafkaCluster;

/**
 * The chaos tests' cluster: three brokers with replication 3 and min.insync.replicas 2, each behind
 * a {@link dev.bertstream.app.local.TcpProxy} that can cut the job off ({@link
 * EmbeddedKafkaCluster#proxiedBootstrapServers()}) while the tests' own clients use the direct
 * listeners.
 */
public final class KafkaTestCluster {

    public static final int BROKERS = 3;

    private KafkaTestCluster() {}

    /** Starts the cluster; returns when every broker is up. */
    public static EmbeddedKafkaCluster start() throws Exception {
        return EmbeddedKafkaCluster.builder().brokers(BROKERS).withProxy().build().start();
    }
}
