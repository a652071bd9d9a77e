package dev.bertstream.jobs.testutils;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft broker with Kafka security on: a SASL_SSL listener (SCRAM-SHA-512 over
 * TLS with a certificate made at test time), a PLAINTEXT listener whose clients are the
 * unauthenticated {@code User:ANONYMOUS}, and the StandardAuthorizer with no access unless an ACL
 * grants it. The controller listener uses SASL/PLAIN; the super users are the controller and {@code
 * admin}, whose SCRAM credentials (and those of the given users) are written at storage format
 * time.
 */
public final class SecureKafkaCluster implements AutoCloseable {

    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final String ADMIN = "admin";

    private final Path dir;
    private final TestCertificates certs;
    private final Map<String, String> users;
    private final String adminPassword = "admin-" + UUID.randomUUID();
    private final String controllerPassword = "controller-" + UUID.randomUUID();
    private final int securePort;
    private final int plaintextPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private SecureKafkaCluster(Path dir, TestCertificates certs, Map<String, String> users)
            throws IOException {
        this.dir = dir;
        this.certs = certs;
        this.users = users;
        this.securePort = freePort();
        this.plaintextPort = freePort();
        this.controllerPort = freePort();
    }

    /** Starts the broker with SCRAM users {@code users} (name to password) besides admin. */
    public static SecureKafkaCluster start(Map<String, String> users) throws Exception {
        Path dir = Files.createTempDirectory("bert-stream-kafka-secure-");
        SecureKafkaCluster c =
                new SecureKafkaCluster(
                        dir, TestCertificates.generate(dir), new LinkedHashMap<>(users));
        c.startServer();
        return c;
    }

    /** {@code localhost:port} of the SASL_SSL listener. */
    public String bootstrapServers() {
        return "localhost:" + securePort;
    }

    /** {@code localhost:port} of the PLAINTEXT listener (principal User:ANONYMOUS). */
    public String plaintextBootstrapServers() {
        return "localhost:" + plaintextPort;
    }

    public TestCertificates certificates() {
        return certs;
    }

    /** The JAAS line of a SCRAM login, as {@code sasl.jaas.config} takes it. */
    public static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    /** TLS settings of a client of the SASL_SSL listener, without any SASL login. */
    public Properties tlsClientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", MECHANISM);
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", certs.truststore().toString());
        p.put("ssl.truststore.password", certs.truststorePassword());
        return p;
    }

    /** Client settings for {@code user} with {@code password} on the SASL_SSL listener. */
    public Properties clientProperties(String user, String password) {
        Properties p = tlsClientProperties();
        p.put("sasl.jaas.config", scramJaas(user, password));
        return p;
    }

    /** Client settings of the super user {@code admin}. */
    public Properties adminProperties() {
        return clientProperties(ADMIN, adminPassword);
    }

    /** An admin client as the super user; close it after use. */
    public Admin admin() {
        Properties p = adminProperties();
        p.put("default.api.timeout.ms", "30000");
        return Admin.create(p);
    }

    /** Creates topics with {@code partitions} partitions each, as the super user. */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(
                            Stream.of(topics)
                                    .map(t -> new NewTopic(t, partitions, (short) 1))
                                    .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    /** Adds ACLs, as the super user. */
    public void createAcls(Collection<AclBinding> acls) throws Exception {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
        }
    }

    private void startServer() throws Exception {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put(
                "listeners",
                "SECURE://localhost:"
                        + securePort
                        + ",PLAIN://localhost:"
                        + plaintextPort
                        + ",CONTROLLER://localhost:"
                        + controllerPort);
        p.put(
                "advertised.listeners",
                "SECURE://localhost:" + securePort + ",PLAIN://localhost:" + plaintextPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put(
                "listener.security.protocol.map",
                "SECURE:SASL_SSL,PLAIN:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "SECURE");
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.secure.sasl.enabled.mechanisms", MECHANISM);
        p.put(
                "listener.name.secure.scram-sha-512.sasl.jaas.config",
                scramJaas(ADMIN, adminPassword));
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put(
                "listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"controller\" password=\""
                        + controllerPassword
                        + "\" user_controller=\""
                        + controllerPassword
                        + "\";");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", certs.keystore().toString());
        p.put("ssl.keystore.password", certs.keystorePassword());
        p.put("ssl.key.password", certs.keystorePassword());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", certs.truststore().toString());
        p.put("ssl.truststore.password", certs.truststorePassword());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN + ";User:controller");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("transaction.max.timeout.ms", String.valueOf(15 * 60 * 1000));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "1");
        p.put("log.flush.interval.messages", "10000");
        format(p);
        server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        }
    }

    private void format(Properties p) throws IOException {
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "bert-stream secured test broker");
        }
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString()));
        Map<String, String> all = new LinkedHashMap<>(users);
        all.put(ADMIN, adminPassword);
        all.forEach(
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

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (Files.exists(dir)) {
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
}
