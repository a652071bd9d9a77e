package dev.bertstream.app.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker in KRaft mode (one node, broker and controller combined), started in-process
 * from the Kafka jars in a temporary directory on free localhost ports: for the demo, the pipeline
 * benchmark and the integration tests. Settings allow exactly-once with a single broker
 * (transaction log replication 1).
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
 *     kafka.createTopic("chat.text-events", 4);
 * }
 * }</pre>
 */
@Internal
public final class EmbeddedKafkaCluster implements AutoCloseable {

    /** Brokers' default max transaction timeout; sinks must stay under it. */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = 15 * 60 * 1000;

    private final Map<String, String> overrides;
    private Path dir;
    private KafkaRaftServer server;
    private int brokerPort;

    private EmbeddedKafkaCluster(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the storage and starts the broker; returns when it accepts connections. */
    public EmbeddedKafkaCluster start() throws Exception {
        dir = Files.createTempDirectory("bert-stream-kafka-");
        brokerPort = freePort();
        int controllerPort = freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://localhost:"
                        + brokerPort
                        + ",CONTROLLER://localhost:"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("transaction.max.timeout.ms", String.valueOf(TRANSACTION_MAX_TIMEOUT_MS));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "1");
        p.put("log.flush.interval.messages", "10000");
        overrides.forEach(p::put);
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "bert-stream embedded broker");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc =
                StorageTool.execute(
                        new String[] {
                            "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()
                        },
                        new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException(
                    "Formatting Kafka storage failed: " + log.toString(StandardCharsets.UTF_8));
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
        return this;
    }

    /** {@code localhost:port} of the broker listener. */
    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    /** An admin client; close it after use. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates topics with {@code partitions} partitions each. */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(
                            Stream.of(topics)
                                    .map(t -> new NewTopic(t, partitions, (short) 1))
                                    .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
            // The controller has accepted them; wait until the broker's metadata serves them too,
            // so a client that looks them up right away finds them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.listTopics()
                    .names()
                    .get(10, TimeUnit.SECONDS)
                    .containsAll(List.of(topics))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "topics not visible after 30 s: " + List.of(topics));
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path x : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Optional broker settings. */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();

        /** Sets a broker property, e.g. {@code auto.create.topics.enable}. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaCluster build() {
            return new EmbeddedKafkaCluster(overrides);
        }
    }
}
