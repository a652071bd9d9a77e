package dev.bertstream.jobs.testutils;

import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.TcpProxy;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault the chaos harness can inject works on real parts and can be recovered from. */
class ChaosClusterHarnessITCase {

    static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void restartedCoordinatorAndLeaderKeepPortsAndLogsAndAnOpenTransactionStillCommits()
            throws Exception {
        String topic = "harness-tx";
        kafka.createTopics(1, topic);
        Map<Integer, Node> nodesBefore = directNodes();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.proxiedBootstrapServers(),
                                "transactional.id",
                                "harness-tx",
                                "transaction.timeout.ms",
                                "120000"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, bytes("before-" + i))).get();
            }
            TransactionDescription tx = describe("harness-tx");
            assertThat(tx.state()).isEqualTo(TransactionState.ONGOING);
            int coordinator = tx.coordinatorId();
            int leader = kafka.leaders(topic).get(0);
            Path partitionDir = kafka.logDir(coordinator).resolve(topic + "-0");
            assertThat(partitionDir).isDirectory();

            kafka.restartBroker(coordinator);
            if (leader != coordinator) {
                kafka.restartBroker(leader);
            }

            assertThat(directNodes()).as("same ports after restarts").isEqualTo(nodesBefore);
            assertThat(partitionDir).as("same log directory").isDirectory();
            assertThat(Files.list(partitionDir).anyMatch(f -> f.toString().endsWith(".log")))
                    .isTrue();
            assertThat(describe("harness-tx").state())
                    .as("the transaction survived the coordinator's restart")
                    .isEqualTo(TransactionState.ONGOING);
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, bytes("after-" + i))).get();
            }
            producer.commitTransaction();
        }
        List<String> read =
                KafkaTestClients.readCommitted(
                                kafka.bootstrapServers(), topic, Duration.ofSeconds(2))
                        .stream()
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .toList();
        assertThat(read).hasSize(20).startsWith("before-0").endsWith("after-9");
    }

    @Test
    void proxyCutStopsProxiedClientsOnlyAndRestoringLetsThemThrough() throws Exception {
        try (Admin proxied =
                        Admin.create(
                                Map.of(
                                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        kafka.proxiedBootstrapServers(),
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        "3000",
                                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                        "2000"));
                Admin direct = kafka.admin()) {
            Set<Integer> proxyPorts =
                    kafka.proxies().stream().map(TcpProxy::port).collect(Collectors.toSet());
            assertThat(nodePorts(proxied))
                    .as("metadata sends proxied clients to the proxies")
                    .isEqualTo(proxyPorts);

            kafka.cutNetwork();
            try {
                assertThatThrownBy(() -> proxied.describeCluster().nodes().get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                assertThat(direct.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                        .as("the test's own clients are not cut")
                        .hasSize(KafkaTestCluster.BROKERS);
            } finally {
                kafka.restoreNetwork();
            }
            assertThat(nodePorts(proxied)).isEqualTo(proxyPorts);
            assertThat(kafka.proxies().stream().mapToLong(TcpProxy::forwardedConnections).sum())
                    .isPositive();
        }
    }

    @Test
    void killingOneOfTwoTaskManagersFailsTheJobOverToTheOtherFromACheckpoint() throws Exception {
        try (FlinkTestCluster flink = FlinkTestCluster.start(2, 2, 2)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.enableCheckpointing(200);
            env.configure(
                    org.apache.flink.configuration.Configuration.fromMap(
                            Map.of(
                                    "restart-strategy.type", "fixed-delay",
                                    "restart-strategy.fixed-delay.attempts", "5",
                                    "restart-strategy.fixed-delay.delay", "200 ms")));
            env.fromSequence(0, Long.MAX_VALUE).map(new Slow()).sinkTo(new DiscardingSink<>());
            JobClient job = env.executeAsync("harness-tm-kill");
            JobID id = job.getJobID();
            try {
                flink.awaitAllRunning(id, Duration.ofSeconds(60));
                awaitCheckpoints(flink, id, 2);
                Set<ResourceID> before = flink.taskManagersOf(id);
                assertThat(before).as("subtasks spread over both TaskManagers").hasSize(2);

                flink.killTaskManager(0);

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (flink.latestRestore(id) == null || !flink.allRunning(id)) {
                    assertThat(System.nanoTime()).as("job recovered in time").isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(flink.metrics().sum(id, "numRestarts"))
                        .as("the test reporter sees the job's gauges")
                        .isPositive();
                RestoredCheckpointStats restore = flink.latestRestore(id);
                assertThat(restore.getCheckpointId()).isPositive();
                Set<ResourceID> after = flink.taskManagersOf(id);
                assertThat(after).as("all subtasks on the survivor").hasSize(1);
                assertThat(before).containsAll(after);
                long restored = flink.latestCompletedCheckpoint(id);
                awaitCheckpoints(flink, id, restored + 1);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void awaitCheckpoints(FlinkTestCluster flink, JobID id, long atLeast)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (flink.latestCompletedCheckpoint(id) < atLeast) {
            assertThat(System.nanoTime()).as("checkpoint %s in time", atLeast).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Map<Integer, Node> directNodes() throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeCluster().nodes().get().stream()
                    .collect(Collectors.toMap(Node::id, n -> n));
        }
    }

    private static Set<Integer> nodePorts(Admin admin) throws Exception {
        return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                .map(Node::port)
                .collect(Collectors.toSet());
    }

    private static TransactionDescription describe(String transactionalId) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId)
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps the job busy without burning the CPU. */
    static final class Slow implements MapFunction<Long, Long> {
        @Override
        public Long map(Long value) throws Exception {
            Thread.sleep(1);
            return value;
        }
    }
}
