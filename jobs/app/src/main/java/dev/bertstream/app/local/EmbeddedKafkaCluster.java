package dev.bertstream.app.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Real Kafka brokers in KRaft mode, started in-process from the Kafka jars in a temporary directory
 * on free loopback ports: for the demo, the benchmarks and the integration tests.
 *
 * <ul>
 *   <li>One broker (the default): a single node, broker and controller combined, replication 1,
 *       settings that allow exactly-once on one broker.
 *   <li>{@link Builder#brokers(int) brokers(n)} with n &gt; 1: a controller node and brokers 1..n,
 *       replication n (at most 3) and min.insync.replicas 2 everywhere, the transaction state log
 *       included. Any broker can be stopped and restarted on the same ports and log directory.
 *   <li>{@link Builder#withProxy()}: every broker gets a second listener whose advertised address
 *       is a {@link TcpProxy}, so clients bootstrapped on {@link #proxiedBootstrapServers()} learn
 *       only proxy addresses and lose the brokers when the proxies {@linkplain #cutNetwork() cut}.
 *   <li>{@link Builder#security(Security)}: the client listener is SASL_SSL (SCRAM-SHA-512 over TLS
 *       with the given key and trust stores), a PLAINTEXT listener serves the unauthenticated
 *       {@code User:ANONYMOUS}, the StandardAuthorizer denies what no ACL grants, and the super
 *       users are the controller and {@code admin}, whose SCRAM credentials (and the given users')
 *       are written at storage format time.
 * </ul>
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().build().start()) {
 *     kafka.createTopics(4, "chat.text-events");
 * }
 * try (EmbeddedKafkaCluster kafka =
 *         EmbeddedKafkaCluster.builder().brokers(3).withProxy().build().start()) {
 *     kafka.cutNetwork();
 *     kafka.restartBroker(2);
 * }
 * }</pre>
 */
@Internal
public final class EmbeddedKafkaCluster implements AutoCloseable {

    /** Brokers' default max transaction timeout; sinks must stay under it. */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = 15 * 60 * 1000;

    /** The SASL mechanism of the client listener of a {@linkplain Builder#security secured} one. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final String ADMIN = "admin";
    private static final int CONTROLLER_ID = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final int brokerCount;
    private final boolean proxied;
    private final Security security;
    private final Map<String, String> overrides;
    private final Path workDirectory;
    private final String host;
    private final String clusterId = Uuid.randomUuid().toString();
    private final String adminPassword = "admin-" + UUID.randomUUID();
    private final String controllerPassword = "controller-" + UUID.randomUUID();

    /** Where ports come from; a test may hand out a taken one first. */
    private PortSource ports = FreePorts::reserve;

    private Path dir;
    private int controllerPort;
    private int[] clientPorts;
    private int[] externalPorts;
    private int[] plaintextPorts;
    private final List<TcpProxy> proxies = new ArrayList<>();
    private KafkaRaftServer[] brokers;
    private KafkaRaftServer controller;

    private EmbeddedKafkaCluster(Builder b) {
        this.brokerCount = b.brokers;
        this.proxied = b.proxy;
        this.security = b.security;
        this.overrides = new LinkedHashMap<>(b.overrides);
        this.workDirectory = b.workDirectory;
        // A TLS client checks the broker's name against its certificate, made for localhost; the
        // proxies forward to 127.0.0.1.
        this.host = proxied ? "127.0.0.1" : "localhost";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the storage and starts every node; returns when all brokers accept connections. */
    public EmbeddedKafkaCluster start() throws Exception {
        // A fatal fault in a KRaft node (a controller that cannot bind its port, for one) calls
        // Exit.exit, which would end the whole JVM: the demo's or the test run's. In-process, the
        // node's start fails instead, with the reason.
        Exit.setExitProcedure(EmbeddedKafkaCluster::failInsteadOfExit);
        Exit.setHaltProcedure(EmbeddedKafkaCluster::failInsteadOfExit);
        dir =
                workDirectory != null
                        ? Files.createDirectories(workDirectory)
                        : Files.createTempDirectory("bert-stream-kafka-");
        for (int attempt = 1; ; attempt++) {
            try {
                startOnFreshPorts();
                return this;
            } catch (Exception e) {
                // Ports are reserved outside the ephemeral range (FreePorts), but another process
                // may still bind one first; a fresh set of ports and storage gets past that. A
                // controller reports its bind failure only in the log, so with every node of this
                // attempt stopped, a port still held means someone else took it.
                stopNodes();
                if (attempt == START_ATTEMPTS || !(isBindFailure(e) || anyPortTaken())) {
                    throw e;
                }
                deleteNodeData();
            }
        }
    }

    private void startOnFreshPorts() throws Exception {
        controllerPort = ports.next();
        clientPorts = new int[brokerCount];
        externalPorts = new int[brokerCount];
        plaintextPorts = new int[brokerCount];
        brokers = new KafkaRaftServer[brokerCount];
        for (int i = 0; i < brokerCount; i++) {
            clientPorts[i] = ports.next();
            if (proxied) {
                externalPorts[i] = ports.next();
                proxies.add(TcpProxy.start(0, externalPorts[i]));
            }
            if (security != null) {
                plaintextPorts[i] = ports.next();
            }
        }
        if (brokerCount > 1) {
            controller = startNode(controllerProperties(), dir.resolve("controller"));
        }
        for (int id = 1; id <= brokerCount; id++) {
            startBroker(id);
        }
        awaitBrokers(brokerCount);
    }

    /** Replaces where the cluster's ports come from (before {@link #start()}). */
    EmbeddedKafkaCluster withPorts(PortSource source) {
        this.ports = source;
        return this;
    }

    /** A source of ports to listen on. */
    @FunctionalInterface
    interface PortSource {
        int next() throws IOException;
    }

    private static void failInsteadOfExit(int statusCode, String message) {
        throw new IllegalStateException(
                "An in-process Kafka node failed fatally and would have ended the JVM with status "
                        + statusCode
                        + (message != null ? ": " + message : "; its log above says why"));
    }

    private boolean anyPortTaken() {
        IntStream attempted =
                IntStream.concat(
                        IntStream.concat(IntStream.of(controllerPort), IntStream.of(clientPorts)),
                        IntStream.concat(
                                proxied ? IntStream.of(externalPorts) : IntStream.empty(),
                                security != null
                                        ? IntStream.of(plaintextPorts)
                                        : IntStream.empty()));
        return attempted.anyMatch(p -> p > 0 && !FreePorts.isFree(p));
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.net.BindException
                    || m.contains("Address already in use")
                    || m.contains("failed to bind")) {
                return true;
            }
        }
        return false;
    }

    /** Brokers in the cluster (running or stopped). */
    public int brokerCount() {
        return brokerCount;
    }

    /**
     * Direct addresses of the client listeners (SASL_SSL when secured): for the tests' own clients,
     * or anything that should not go through the proxies.
     */
    public String bootstrapServers() {
        return IntStream.of(clientPorts)
                .mapToObj(p -> host + ":" + p)
                .collect(Collectors.joining(","));
    }

    /** Proxy addresses of the proxied listeners ({@link Builder#withProxy()}): for the job. */
    public String proxiedBootstrapServers() {
        requireProxy();
        return proxies.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(","));
    }

    /** Addresses of the PLAINTEXT listeners of a secured cluster (principal User:ANONYMOUS). */
    public String plaintextBootstrapServers() {
        requireSecurity();
        return IntStream.of(plaintextPorts)
                .mapToObj(p -> host + ":" + p)
                .collect(Collectors.joining(","));
    }

    /** The proxies in front of brokers 1..n, in broker order. */
    public List<TcpProxy> proxies() {
        requireProxy();
        return proxies;
    }

    /** Cuts the network between proxied clients and every broker. */
    public void cutNetwork() {
        TcpProxy.cutAll(proxies());
    }

    /** Restores the network cut by {@link #cutNetwork()}. */
    public void restoreNetwork() {
        TcpProxy.restoreAll(proxies());
    }

    /** The key and trust stores and users of a secured cluster. */
    public Security security() {
        requireSecurity();
        return security;
    }

    /** The log directory of broker {@code id}; it survives restarts. */
    public Path logDir(int id) {
        return nodeDir(id).resolve("data");
    }

    public boolean isRunning(int id) {
        return brokers[id - 1] != null;
    }

    /** Shuts broker {@code id} (1..n) down; its ports and data stay reserved for a restart. */
    public void stopBroker(int id) {
        KafkaRaftServer s = brokers[id - 1];
        if (s == null) {
            throw new IllegalStateException("broker " + id + " is not running");
        }
        s.shutdown();
        s.awaitShutdown();
        brokers[id - 1] = null;
    }

    /** Starts broker {@code id} (again) on the same ports and log directory. */
    public void startBroker(int id) throws Exception {
        if (brokers[id - 1] != null) {
            throw new IllegalStateException("broker " + id + " is already running");
        }
        brokers[id - 1] = startNode(brokerProperties(id), nodeDir(id));
    }

    /** Stops and starts broker {@code id}, then waits until it is back in every ISR. */
    public void restartBroker(int id) throws Exception {
        stopBroker(id);
        startBroker(id);
        awaitBrokers(brokerCount);
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

    /** Waits until every partition of every topic (internal ones included) has a full ISR. */
    public void awaitFullIsr() throws Exception {
        int replicas = replication();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                Set<String> topics =
                        admin.listTopics(new ListTopicsOptions().listInternal(true))
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
                                .allMatch(p -> p.isr().size() >= replicas && p.leader() != null);
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

    /**
     * Client settings of the super user {@code admin} on the client listeners: just the bootstrap
     * servers, plus the SASL_SSL login when secured.
     */
    public Properties adminProperties() {
        if (security == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            return p;
        }
        return clientProperties(ADMIN, adminPassword);
    }

    /** TLS settings of a client of a secured cluster's SASL_SSL listener, without a login. */
    public Properties tlsClientProperties() {
        requireSecurity();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", security.truststore().toString());
        p.put("ssl.truststore.password", security.truststorePassword());
        return p;
    }

    /** Client settings for {@code user} with {@code password} on the SASL_SSL listener. */
    public Properties clientProperties(String user, String password) {
        Properties p = tlsClientProperties();
        p.put("sasl.jaas.config", scramJaas(user, password));
        return p;
    }

    /** The JAAS line of a SCRAM login, as {@code sasl.jaas.config} takes it. */
    public static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    /** An admin client (the super user when secured); close it after use. */
    public Admin admin() {
        Properties p = adminProperties();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(p);
    }

    /**
     * Creates topics with {@code partitions} partitions each, replicated on every broker (at most
     * 3); returns when every broker serves them, with full ISRs.
     */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(
                            Stream.of(topics)
                                    .map(t -> new NewTopic(t, partitions, (short) replication()))
                                    .toList())
                    .all()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // The controller has accepted them; wait until the brokers' metadata serves them too,
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
            // A producer that writes before a partition has a leader gets NOT_LEADER_OR_FOLLOWER,
            // and its idempotent retries have been seen to loop on OUT_OF_ORDER_SEQUENCE_NUMBER.
            while (!allPartitionsLed(admin, List.of(topics))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "topics without a leader after 30 s: " + List.of(topics));
                }
                Thread.sleep(50);
            }
        }
        if (brokerCount > 1) {
            awaitFullIsr();
        }
    }

    private static boolean allPartitionsLed(Admin admin, List<String> topics) throws Exception {
        return admin
                .describeTopics(topics)
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .values()
                .stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    /** Adds ACLs, as the super user. */
    public void createAcls(Collection<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
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
        stopNodes();
        if (dir != null && Files.exists(dir)) {
            deleteTree(dir);
        }
    }

    /** Shuts every running node down and closes the proxies. */
    private void stopNodes() throws IOException {
        if (brokers != null) {
            for (int id = brokerCount; id >= 1; id--) {
                if (brokers[id - 1] != null) {
                    stopBroker(id);
                }
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
        proxies.clear();
    }

    /** Removes what formatting and a start wrote, leaving the caller's files in the directory. */
    private void deleteNodeData() throws IOException {
        List<Path> written = new ArrayList<>();
        written.add(dir.resolve("controller"));
        for (int id = 1; id <= brokerCount; id++) {
            written.add(combined() ? logDir(id) : nodeDir(id));
        }
        written.add(dir.resolve("server.properties"));
        for (Path p : written) {
            if (Files.exists(p)) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path x : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(x);
            }
        }
    }

    private int replication() {
        return Math.min(brokerCount, 3);
    }

    private boolean combined() {
        return brokerCount == 1;
    }

    private Path nodeDir(int id) {
        // The single combined node keeps the historical layout: data directly under the root.
        return combined() ? dir : dir.resolve("broker-" + id);
    }

    private void requireProxy() {
        if (!proxied) {
            throw new IllegalStateException("built without withProxy()");
        }
    }

    private void requireSecurity() {
        if (security == null) {
            throw new IllegalStateException("built without security(...)");
        }
    }

    private Properties controllerProperties() {
        Properties p = common();
        p.put("process.roles", "controller");
        p.put("node.id", String.valueOf(CONTROLLER_ID));
        p.put("listeners", "CONTROLLER://" + host + ":" + controllerPort);
        p.put("log.dirs", dir.resolve("controller").resolve("data").toString());
        return p;
    }

    private Properties brokerProperties(int id) {
        int i = id - 1;
        int replicas = replication();
        String minIsr = String.valueOf(Math.min(2, replicas));
        Properties p = common();
        p.put("process.roles", combined() ? "broker,controller" : "broker");
        p.put("node.id", String.valueOf(combined() ? 1 : id));
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        listeners.add("INTERNAL://" + host + ":" + clientPorts[i]);
        advertised.add("INTERNAL://" + host + ":" + clientPorts[i]);
        if (proxied) {
            listeners.add("EXTERNAL://" + host + ":" + externalPorts[i]);
            advertised.add("EXTERNAL://127.0.0.1:" + proxies.get(i).port());
        }
        if (security != null) {
            listeners.add("PLAIN://" + host + ":" + plaintextPorts[i]);
            advertised.add("PLAIN://" + host + ":" + plaintextPorts[i]);
        }
        if (combined()) {
            listeners.add("CONTROLLER://" + host + ":" + controllerPort);
        }
        p.put("listeners", String.join(",", listeners));
        p.put("advertised.listeners", String.join(",", advertised));
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("log.dirs", logDir(id).toString());
        p.put("default.replication.factor", String.valueOf(replicas));
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", String.valueOf(replicas));
        p.put("offsets.topic.num.partitions", combined() ? "4" : "6");
        p.put("transaction.state.log.replication.factor", String.valueOf(replicas));
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("transaction.state.log.num.partitions", combined() ? "4" : "6");
        p.put("share.coordinator.state.topic.replication.factor", String.valueOf(replicas));
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("transaction.max.timeout.ms", String.valueOf(TRANSACTION_MAX_TIMEOUT_MS));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        if (!combined()) {
            // A restarted broker catches up and rejoins ISRs within seconds, not the default 30 s.
            p.put("replica.lag.time.max.ms", "10000");
            p.put("controlled.shutdown.enable", "true");
        }
        if (security != null) {
            secure(p);
        }
        overrides.forEach(p::put);
        return p;
    }

    /** Listener and controller settings shared by every node. */
    private Properties common() {
        Properties p = new Properties();
        int voter = combined() ? 1 : CONTROLLER_ID;
        p.put("controller.quorum.voters", voter + "@" + host + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        String client = security == null ? "PLAINTEXT" : "SASL_SSL";
        String map = "INTERNAL:" + client + ",EXTERNAL:" + client + ",PLAIN:PLAINTEXT";
        map += ",CONTROLLER:" + (security == null ? "PLAINTEXT" : "SASL_PLAINTEXT");
        p.put("listener.security.protocol.map", map);
        p.put("log.flush.interval.messages", "10000");
        if (security != null) {
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            p.put(
                    "listener.name.controller.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " username=\"controller\" password=\""
                            + controllerPassword
                            + "\" user_controller=\""
                            + controllerPassword
                            + "\";");
            p.put(
                    "authorizer.class.name",
                    "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:" + ADMIN + ";User:controller");
            p.put("allow.everyone.if.no.acl.found", "false");
        }
        return p;
    }

    private void secure(Properties p) {
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        for (String listener : List.of("internal", "external")) {
            p.put("listener.name." + listener + ".sasl.enabled.mechanisms", MECHANISM);
            p.put(
                    "listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
                    scramJaas(ADMIN, adminPassword));
        }
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", security.keystore().toString());
        p.put("ssl.keystore.password", security.keystorePassword());
        p.put("ssl.key.password", security.keystorePassword());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", security.truststore().toString());
        p.put("ssl.truststore.password", security.truststorePassword());
    }

    /** Formats the node's storage on first start, then starts it. */
    private KafkaRaftServer startNode(Properties p, Path nodeDir) throws IOException {
        if (!Files.exists(nodeDir.resolve("data"))) {
            format(p, nodeDir);
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            // A combined node whose broker fails to start keeps its controller running otherwise.
            s.shutdown();
            s.awaitShutdown();
            throw e;
        }
        return s;
    }

    private void format(Properties p, Path nodeDir) throws IOException {
        Files.createDirectories(nodeDir);
        Path config = nodeDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "bert-stream embedded Kafka node");
        }
        List<String> args =
                new ArrayList<>(List.of("format", "-t", clusterId, "-c", config.toString()));
        if (security != null) {
            Map<String, String> users = new LinkedHashMap<>(security.users());
            users.put(ADMIN, adminPassword);
            users.forEach(
                    (name, password) ->
                            args.addAll(
                                    List.of(
                                            "--add-scram",
                                            MECHANISM
                                                    + "=[name="
                                                    + name
                                                    + ",password="
                                                    + password
                                                    + "]")));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc =
                StorageTool.execute(
                        args.toArray(String[]::new),
                        new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IOException(
                    "Formatting Kafka storage failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * TLS material and SCRAM users of a secured cluster: PKCS12 key and trust stores (the broker's
     * certificate must name {@code localhost}), and the users to create besides {@code admin}.
     */
    public record Security(
            Path keystore,
            String keystorePassword,
            Path truststore,
            String truststorePassword,
            Map<String, String> users) {

        public Security {
            users = Map.copyOf(users);
        }
    }

    /** How many brokers, and which optional listeners and settings. */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private int brokers = 1;
        private boolean proxy;
        private Security security;
        private Path workDirectory;

        /** Brokers, 1 (default, broker and controller in one node) or more (own controller). */
        public Builder brokers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("brokers must be >= 1, got " + count);
            }
            this.brokers = count;
            return this;
        }

        /** A second listener per broker, advertised through a {@link TcpProxy} that can cut. */
        public Builder withProxy() {
            this.proxy = true;
            return this;
        }

        /** SASL_SSL client listeners, a PLAINTEXT one for anonymous clients, and ACLs. */
        public Builder security(Security security) {
            this.security = security;
            return this;
        }

        /**
         * The directory to keep the brokers' data in, deleted on close (default: a new temporary
         * directory); lets a caller put files that should go with the cluster there first.
         */
        public Builder workDirectory(Path dir) {
            this.workDirectory = dir;
            return this;
        }

        /** Sets a broker property, e.g. {@code auto.create.topics.enable}. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaCluster build() {
            return new EmbeddedKafkaCluster(this);
        }
    }
}
