package dev.bertstream.jobs.testutils;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A real three-broker KRaft cluster in this JVM: one controller node and brokers 1..3, replication
 * 3 and min.insync.replicas 2 everywhere, including the transaction state log. Any broker can be
 * stopped and restarted on the same ports and log directories.
 *
 * <p>Each broker has two listeners: {@code INTERNAL} for inter-broker traffic and the test's own
 * clients ({@link #bootstrapServers()}), and {@code EXTERNAL} whose advertised address is a {@link
 * TcpProxy}, so clients bootstrapped on {@link #proxiedBootstrapServers()} (the job) learn only
 * proxy addresses from metadata and lose the brokers when the proxies cut.
 */
public final class KafkaTestCluster implements AutoCloseable {

    public static final int BROKERS = 3;
    private static final int CONTROLLER_ID = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int controllerPort;
    private final int[] internalPorts = new int[BROKERS];
    private final int[] externalPorts = new int[BROKERS];
    private final List<TcpProxy> proxies = new ArrayList<>();
    private final KafkaRaftServer[] brokers = new KafkaRaftServer[BROKERS];
    private KafkaRaftServer controller;

    private KafkaTestCluster(Path dir) throws IOException {
        this.dir = dir;
        this.controllerPort = freePort();
        for (int i = 0; i < BROKERS; i++) {
            internalPorts[i] = freePort();
            externalPorts[i] = freePort();
            proxies.add(TcpProxy.start(0, externalPorts[i]));
        }
    }

    /** Formats storage and starts the controller and all brokers; returns when all are up. */
    public static KafkaTestCluster start() throws Exception {
        KafkaTestCluster c = new KafkaTestCluster(Files.createTempDirectory("bert-stream-kafka3-"));
        c.controller = c.startNode(c.controllerProperties());
        for (int id = 1; id <= BROKERS; id++) {
            c.startBroker(id);
        }
        c.awaitBrokers(BROKERS);
        return c;
    }

    /** Direct addresses of the INTERNAL listeners: for the test's producers and readers. */
    public String bootstrapServers() {
        return IntStream.of(internalPorts)
                .mapToObj(p -> "127.0.0.1:" + p)
                .collect(Collectors.joining(","));
    }

    /** Proxy addresses of the EXTERNAL listeners: for the job under test. */
    public String proxiedBootstrapServers() {
        return proxies.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(","));
    }

    /** The proxies in front of brokers 1..3, in broker order. */
    public List<TcpProxy> proxies() {
        return proxies;
    }

    /** Cuts the network between proxied clients and every broker. */
    public void cutNetwork() {
        TcpProxy.cutAll(proxies);
    }

    /** Restores the network cut by {@link #cutNetwork()}. */
    public void restoreNetwork() {
        TcpProxy.restoreAll(proxies);
    }

    /** The log directory of broker {@code id}; it survives restarts. */
    public Path logDir(int id) {
        return dir.resolve("broker-" + id).resolve("data");
    }

    public boolean isRunning(int id) {
        return brokers[id - 1] != null;
    }

    /** Shuts broker {@code id} (1..3) down; its ports and data stay reserved for a restart. */
    public void stopBroker(int id) {
        KafkaRaftServer s = brokers[id - 1];
        if (s == null) {
            throw new IllegalStateException("broker " + id + " is not running");
        }
        s.shutdown();
        s.awaitShutdown();
        brokers[id - 1] = null;
    }

    /** Starts broker {@code id} again on the same ports and log directory. */
    public void startBroker(int id) throws Exception {
        if (brokers[id - 1] != null) {
            throw new IllegalStateException("broker " + id + " is already running");
        }
        Properties p = brokerProperties(id);
        if (!Files.exists(logDir(id))) {
            format(p, dir.resolve("broker-" + id));
        }
        brokers[id - 1] = startNode(p);
    }

    /** Stops and starts broker {@code id}, then waits until it is back in every ISR. */
    public void restartBroker(int id) throws Exception {
        stopBroker(id);
        startBroker(id);
        awaitBrokers(BROKERS);
        awaitFullIsr();
    }

    /** Waits until {@code count} brokers are registered and unfenced. */
    public void awaitBrokers(int count) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                Collection<Node> nodes =
                        admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                if (nodes.size() >= count) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + nodes + " of " + count + " brokers");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Waits until every partition of every topic (internal ones included) has all 3 in its ISR. */
    public void awaitFullIsr() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                Set<String> topics =
                        admin.listTopics(
                                        new org.apache.kafka.clients.admin.ListTopicsOptions()
                                                .listInternal(true))
                                .names()
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                boolean full =
                        admin
                                .describeTopics(topics)
                                .allTopicNames()
                                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                                .values()
                                .stream()
                                .flatMap(d -> d.partitions().stream())
                                .allMatch(p -> p.isr().size() == BROKERS && p.leader() != null);
                if (full) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ISRs not full after " + TIMEOUT);
                }
                Thread.sleep(200);
            }
        }
    }

    /** An admin client on the direct listeners; close it after use. */
    public Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        "30000"));
    }

    /** Creates topics with {@code partitions} partitions, replication 3. */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(
                            Stream.of(topics)
                                    .map(t -> new NewTopic(t, partitions, (short) BROKERS))
                                    .toList())
                    .all()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        awaitFullIsr();
    }

    /** Leader broker id per partition of {@code topic}. */
    public Map<Integer, Integer> leaders(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicDescription d =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .get(topic);
            return d.partitions().stream()
                    .filter(p -> p.leader() != null)
                    .collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p.leader().id()));
        }
    }

    @Override
    public void close() throws IOException {
        for (int id = BROKERS; id >= 1; id--) {
            if (brokers[id - 1] != null) {
                stopBroker(id);
            }
        }
        if (controller != null) {
            controller.shutdown();
            controller.awaitShutdown();
            controller = null;
        }
        for (TcpProxy p : proxies) {
            p.close();
        }
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path x : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(x);
                }
            }
        }
    }

    private Properties controllerProperties() throws IOException {
        Properties p = common();
        p.put("process.roles", "controller");
        p.put("node.id", String.valueOf(CONTROLLER_ID));
        p.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("log.dirs", dir.resolve("controller").resolve("data").toString());
        format(p, dir.resolve("controller"));
        return p;
    }

    private Properties brokerProperties(int id) {
        Properties p = common();
        int i = id - 1;
        p.put("process.roles", "broker");
        p.put("node.id", String.valueOf(id));
        p.put(
                "listeners",
                "INTERNAL://127.0.0.1:"
                        + internalPorts[i]
                        + ",EXTERNAL://127.0.0.1:"
                        + externalPorts[i]);
        p.put(
                "advertised.listeners",
                "INTERNAL://127.0.0.1:"
                        + internalPorts[i]
                        + ",EXTERNAL://127.0.0.1:"
                        + proxies.get(i).port());
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("log.dirs", logDir(id).toString());
        p.put("default.replication.factor", String.valueOf(BROKERS));
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", String.valueOf(BROKERS));
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", String.valueOf(BROKERS));
        p.put("transaction.state.log.min.isr", "2");
        p.put("transaction.state.log.num.partitions", "6");
        p.put("share.coordinator.state.topic.replication.factor", String.valueOf(BROKERS));
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("transaction.max.timeout.ms", String.valueOf(15 * 60 * 1000));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        // A restarted broker catches up and rejoins ISRs within seconds, not the default 30 s.
        p.put("replica.lag.time.max.ms", "10000");
        p.put("controlled.shutdown.enable", "true");
        return p;
    }

    private Properties common() {
        Properties p = new Properties();
        p.put("controller.quorum.voters", CONTROLLER_ID + "@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put(
                "listener.security.protocol.map",
                "INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.flush.interval.messages", "10000");
        return p;
    }

    private void format(Properties p, Path nodeDir) throws IOException {
        Files.createDirectories(nodeDir);
        Path config = nodeDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "bert-stream test cluster node");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc =
                StorageTool.execute(
                        new String[] {"format", "-t", clusterId, "-c", config.toString()},
                        new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException(
                    "Formatting Kafka storage failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    private static KafkaRaftServer startNode(Properties p) {
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        s.startup();
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
