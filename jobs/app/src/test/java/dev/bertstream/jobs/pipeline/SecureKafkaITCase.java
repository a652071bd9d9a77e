package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.cli.BertStreamCli;
import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.config.KafkaClientConfig;
import dev.bertstream.jobs.testutils.FlinkTestCluster;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.jobs.testutils.LogCapture;
import dev.bertstream.jobs.testutils.SecureKafkaCluster;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job over SASL_SSL (SCRAM-SHA-512) against a broker with the StandardAuthorizer: its principal
 * may read the input topic and group, write the output topics and use its transactional ids,
 * nothing else. 5,000 events must come out exactly once; clients with a wrong password, with no
 * credentials, and on the plaintext port must read and write nothing; and no secret may appear in
 * the logs, in exception messages or in the configuration served by Flink's REST API.
 */
class SecureKafkaITCase {

    static final int EVENTS = 5_000;
    static final String IN = "chat.text-events";
    static final String LABELED = "chat.labeled";
    static final String MODERATION = "chat.moderation";
    static final String DLQ = "chat.dead-letters";
    static final String JOB_USER = "bert-stream-job";
    static final String GROUP = "bert-stream-secure";
    static final String TX_PREFIX = "bert-stream-secure-tx";

    @TempDir Path tmp;

    @Test
    void exactlyOnceOverSaslSslWithAclsAndNoSecretLeaks() throws Exception {
        String jobPassword = "scram-" + UUID.randomUUID();
        List<String> exceptionTexts = new ArrayList<>();
        List<String> restBodies = new ArrayList<>();
        Map<String, int[]> denied = new HashMap<>();
        Set<String> validIds = new HashSet<>();
        Map<String, Integer> labeledCounts;
        String logs;
        List<String> secrets;
        try (LogCapture capture = LogCapture.start();
                EmbeddedKafkaCluster kafka =
                        SecureKafkaCluster.start(Map.of(JOB_USER, jobPassword))) {
            secrets =
                    List.of(
                            jobPassword,
                            kafka.security().keystorePassword(),
                            kafka.security().truststorePassword());
            kafka.createTopics(4, IN, LABELED, MODERATION, DLQ);
            kafka.createAcls(jobAcls());
            KafkaTestClients.produce(kafka.adminProperties(), IN, events(validIds));

            Configuration conf = jobConfig(kafka, jobPassword);
            // As 'bert-stream run' does: the local cluster's configuration is the job's, secrets
            // removed; the web UI and REST API serve it.
            try (FlinkTestCluster flink =
                    FlinkTestCluster.start(1, 2, 2, KafkaClientConfig.withoutSecrets(conf))) {
                JobClient job = startJob(conf);
                job.getJobExecutionResult().get();
                restBodies.addAll(restConfig(flink, job.getJobID()));
            }

            labeledCounts = new HashMap<>();
            for (var r :
                    KafkaTestClients.readCommitted(
                            kafka.adminProperties(), LABELED, Duration.ofSeconds(3))) {
                LabeledEvent e = LabeledEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
                labeledCounts.merge(e.getEvent().getEventId(), 1, Integer::sum);
            }

            Properties wrongPassword = kafka.clientProperties(JOB_USER, "wrong-" + jobPassword);
            Properties noCredentials = kafka.tlsClientProperties();
            noCredentials.put("security.protocol", "SSL");
            Properties plaintext = new Properties();
            plaintext.put("bootstrap.servers", kafka.plaintextBootstrapServers());
            denied.put("wrong-password", readAndWrite(wrongPassword, IN, exceptionTexts));
            denied.put("no-credentials", readAndWrite(noCredentials, IN, exceptionTexts));
            denied.put("plaintext", readAndWrite(plaintext, IN, exceptionTexts));

            // The job's own principal may do nothing beyond its ACLs.
            Properties job = kafka.clientProperties(JOB_USER, jobPassword);
            assertThat(tryRead(job, LABELED, exceptionTexts)).as("job reads output").isZero();
            assertThat(tryWrite(job, IN, exceptionTexts)).as("job writes input").isZero();
            assertThat(
                            KafkaTestClients.readCommitted(
                                            kafka.adminProperties(), IN, Duration.ofSeconds(2))
                                    .size())
                    .as("the input topic holds only the test's events")
                    .isEqualTo(EVENTS);

            exceptionTexts.add(cliRoundTrip(kafka));

            // A start-up with a wrong password fails, naming no secret.
            Configuration wrong = jobConfig(kafka, "wrong-" + jobPassword);
            assertThatThrownBy(() -> KafkaStartupCheck.verify(wrong))
                    .isInstanceOf(KafkaStartupException.class)
                    .satisfies(e -> exceptionTexts.add(stackTrace(e)));
            logs = capture.text();
        }

        int duplicates = labeledCounts.values().stream().mapToInt(c -> c - 1).sum();
        long missing = validIds.stream().filter(id -> !labeledCounts.containsKey(id)).count();
        long deniedClients =
                denied.values().stream().filter(rw -> rw[0] == 0 && rw[1] == 0).count();
        long leaks = 0;
        for (String secret : secrets) {
            leaks += occurrences(logs, secret);
            leaks += exceptionTexts.stream().mapToLong(t -> occurrences(t, secret)).sum();
            leaks += restBodies.stream().mapToLong(t -> occurrences(t, secret)).sum();
        }
        System.out.printf(
                "security: delivered=%d duplicates=%d missing=%d denied=%d leaked-secrets=%d%n",
                labeledCounts.size(), duplicates, missing, deniedClients, leaks);
        assertThat(labeledCounts.keySet()).isEqualTo(validIds);
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        denied.forEach(
                (client, rw) -> assertThat(rw).as(client + " read, written").containsExactly(0, 0));
        assertThat(leaks).isZero();
        // The checks looked at the real thing: logs with the job's clients in them, REST bodies
        // with the job configuration, and the denied clients' errors.
        assertThat(logs).contains("sasl.jaas.config = [hidden]");
        assertThat(String.join("\n", restBodies)).contains(JobOptions.INPUT_TOPIC.key());
        assertThat(exceptionTexts).isNotEmpty();
    }

    /**
     * {@code produce} and {@code consume} with {@code --kafka-config} over SASL_SSL (as the super
     * user, on a topic of their own); returns their standard error.
     */
    private String cliRoundTrip(EmbeddedKafkaCluster kafka) throws Exception {
        kafka.createTopics(1, "cli.events");
        Path clientConfig = tmp.resolve("admin-client.properties");
        Properties file = kafka.adminProperties();
        file.remove("bootstrap.servers");
        try (OutputStream out = Files.newOutputStream(clientConfig)) {
            file.store(out, null);
        }
        Path events = tmp.resolve("events.jsonl");
        Files.writeString(
                events,
                "{\"event_id\":\"c1\",\"key\":\"k1\",\"text\":\"where is my parcel\","
                        + "\"source\":\"cli\",\"created_at\":1700000000000}\n");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int produced;
        int consumed;
        try {
            produced =
                    BertStreamCli.commandLine()
                            .execute(
                                    "produce",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--kafka-config",
                                    clientConfig.toString(),
                                    "--topic",
                                    "cli.events",
                                    events.toString());
            consumed =
                    BertStreamCli.commandLine()
                            .execute(
                                    "consume",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--kafka-config",
                                    clientConfig.toString(),
                                    "--topic",
                                    "cli.events",
                                    "--max",
                                    "1");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(produced).as("produce exit code").isZero();
        assertThat(consumed).as("consume exit code").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"c1\"", "where is my parcel");
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Read the input topic and group, write the outputs, use the transactional-id prefix. */
    private static List<AclBinding> jobAcls() {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(allow(ResourceType.TOPIC, IN, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(ResourceType.GROUP, GROUP, PatternType.LITERAL, AclOperation.READ));
        for (String out : List.of(LABELED, MODERATION, DLQ)) {
            acls.add(allow(ResourceType.TOPIC, out, PatternType.LITERAL, AclOperation.WRITE));
        }
        acls.add(
                allow(
                        ResourceType.TRANSACTIONAL_ID,
                        TX_PREFIX,
                        PatternType.PREFIXED,
                        AclOperation.WRITE));
        return acls;
    }

    private static AclBinding allow(
            ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + JOB_USER, "*", op, AclPermissionType.ALLOW));
    }

    /**
     * The job's Kafka settings the way a user gives them: TLS settings in a client properties file
     * ({@code --kafka-config}), the SCRAM login inline as {@code
     * kafka.properties.sasl.jaas.config}.
     */
    private Configuration jobConfig(EmbeddedKafkaCluster kafka, String password) throws Exception {
        Path clientConfig = tmp.resolve("client-" + UUID.randomUUID() + ".properties");
        Properties file = kafka.tlsClientProperties();
        file.remove("bootstrap.servers");
        try (OutputStream out = Files.newOutputStream(clientConfig)) {
            file.store(out, null);
        }
        Path bundle = tmp.resolve("bundle");
        if (!Files.exists(bundle)) {
            TestBundles.chatBundle(bundle, "1");
        }
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        m.put(JobOptions.CLIENT_CONFIG.key(), clientConfig.toString());
        m.put(
                JobConfig.KAFKA_PROPERTIES_PREFIX + "sasl.jaas.config",
                EmbeddedKafkaCluster.scramJaas(JOB_USER, password));
        m.put(JobOptions.MODEL.key(), bundle.toString());
        m.put(JobOptions.INPUT_TOPIC.key(), IN);
        m.put(JobOptions.LABELED_TOPIC.key(), LABELED);
        m.put(JobOptions.MODERATION_TOPIC.key(), MODERATION);
        m.put(JobOptions.DEAD_LETTER_TOPIC.key(), DLQ);
        m.put(JobOptions.GROUP_ID.key(), GROUP);
        m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), TX_PREFIX);
        m.put(JobOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        m.put(JobOptions.TRANSACTION_TIMEOUT.key(), "5 min");
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.STARTUP_CHECK_TIMEOUT.key(), "10 s");
        m.put(JobOptions.PARALLELISM.key(), "2");
        m.put("serde.input.format", "SINGLE_OBJECT");
        m.put("serde.output.format", "SINGLE_OBJECT");
        Configuration conf = Configuration.fromMap(m);
        JobConfig.validate(conf);
        return conf;
    }

    /** The job as runJob builds it (start-up check, Kafka source and sinks), input bounded. */
    private static JobClient startJob(Configuration conf) throws Exception {
        KafkaStartupCheck.verify(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ClassificationWorkflow.of(conf)
                .define(
                        env,
                        ClassificationJob.kafkaSourceBuilder(conf)
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        ClassificationJob.kafkaSinks(conf));
        return env.executeAsync("secure-kafka-itcase");
    }

    /** The job's configuration as the REST API (and the web UI) serve it. */
    private static List<String> restConfig(FlinkTestCluster flink, JobID job) throws Exception {
        URI base = flink.miniCluster().getRestAddress().get();
        HttpClient http = HttpClient.newHttpClient();
        List<String> bodies = new ArrayList<>();
        for (String path :
                List.of(
                        "/jobs/" + job + "/jobmanager/config",
                        "/jobs/" + job + "/config",
                        "/jobmanager/config")) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(base.resolve(path)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            bodies.add(r.body());
        }
        return bodies;
    }

    /** Records read from and written to {@code topic} by a client with {@code props}. */
    private static int[] readAndWrite(Properties props, String topic, List<String> errors) {
        return new int[] {tryRead(props, topic, errors), tryWrite(props, topic, errors)};
    }

    private static int tryRead(Properties props, String topic, List<String> errors) {
        Properties p = withShortTimeouts(props);
        p.put("group.id", GROUP);
        try {
            return KafkaTestClients.readCommitted(p, topic, Duration.ofSeconds(5)).size();
        } catch (Exception e) {
            errors.add(stackTrace(e));
            return 0;
        }
    }

    private static int tryWrite(Properties props, String topic, List<String> errors) {
        List<byte[][]> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] b = ("intruder-" + i).getBytes(StandardCharsets.UTF_8);
            records.add(new byte[][] {b, b});
        }
        try {
            return KafkaTestClients.produce(withShortTimeouts(props), topic, records).size();
        } catch (Exception e) {
            errors.add(stackTrace(e));
            return 0;
        }
    }

    private static Properties withShortTimeouts(Properties props) {
        Properties p = new Properties();
        p.putAll(props);
        p.put("request.timeout.ms", "3000");
        p.put("default.api.timeout.ms", "5000");
        p.put("max.block.ms", "5000");
        p.put("delivery.timeout.ms", "5000");
        return p;
    }

    private static List<byte[][]> events(Set<String> ids) {
        ChatTraffic traffic = new ChatTraffic(11);
        RecordEncoder<TextEvent> writer =
                RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        List<byte[][]> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String key = traffic.nextKey(200);
            String id = "s-" + i;
            TextEvent e =
                    TextEvent.newBuilder()
                            .setEventId(id)
                            .setKey(key)
                            .setText(traffic.nextText())
                            .setSource("secure-itcase")
                            .setCreatedAt(Instant.now())
                            .setAttributes(Map.of())
                            .build();
            records.add(new byte[][] {key.getBytes(StandardCharsets.UTF_8), writer.encode(e)});
            ids.add(id);
        }
        return records;
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static long occurrences(String text, String secret) {
        long n = 0;
        for (int i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) {
            n++;
        }
        return n;
    }
}
