package dev.bertstream.jobs.pipeline;

import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.app.local.EmbeddedKafkaCluster;
import dev.bertstream.app.local.TcpProxy;
import dev.bertstream.events.DeadLetter;
import dev.bertstream.events.LabeledEvent;
import dev.bertstream.events.TaskResult;
import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;
import dev.bertstream.jobs.testutils.CommitFailingSink;
import dev.bertstream.jobs.testutils.Events;
import dev.bertstream.jobs.testutils.FlinkTestCluster;
import dev.bertstream.jobs.testutils.JobMetrics;
import dev.bertstream.jobs.testutils.KafkaTestClients;
import dev.bertstream.jobs.testutils.KafkaTestCluster;
import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.serde.RecordEncoder;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once under the faults a real cluster has: the whole job on a MiniCluster with two
 * TaskManagers, against three KRaft brokers behind a cutting proxy, while 100,000 events (5%
 * malformed) are produced at a steady rate. Five faults strike one after another, each after two
 * completed checkpoints and while events wait in the batching buffer and batches are in flight: a
 * TaskManager is killed; the labeled topic's leader restarts; the transaction coordinator restarts
 * with transactions open; the network is cut for 30 s; the job fails after a checkpoint completed
 * and before its Kafka commit. Every output topic is read back with read_committed and accounted
 * for by ids.
 *
 * <p>{@code -Dchaos.seed=N} picks the traffic and the jitter before each fault.
 */
class ChaosITCase {

    static final String IN = "chaos.text-events";
    static final String LABELED = "chaos.labeled";
    static final String MODERATION = "chaos.moderation";
    static final String DLQ = "chaos.dead-letters";
    static final String INTENT_PATTERN = "chaos.intent.{label}";
    static final List<String> INTENTS = List.of("billing", "cancel", "greeting", "shipping");
    static final String TX_PREFIX = "chaos-tx";

    static final int EVENTS = 100_000;
    static final double MALFORMED = 0.05;
    static final int EVENTS_PER_SECOND = 500;
    static final int KEYS = 200;
    static final double MODERATION_THRESHOLD = 0.5;
    static final Duration CUT = Duration.ofSeconds(30);
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    @TempDir static Path tmp;

    /** What the producer sent, by id. */
    private final Set<String> validIds = ConcurrentHashMap.newKeySet();

    private final Map<String, List<Integer>> sentOrderByKey = new ConcurrentHashMap<>();
    private final Set<String> malformedOffsets = ConcurrentHashMap.newKeySet();
    private final List<Throwable> sendFailures = new CopyOnWriteArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();

    /** Every recovery the job made, as the JobManager reported it. */
    private final List<RestoredCheckpointStats> restores = new CopyOnWriteArrayList<>();

    private final List<String> faultLog = new ArrayList<>();

    @Test
    void everyEventExactlyOnceInEveryTopicThroughFiveClusterFaults() throws Exception {
        long seed = Long.getLong("chaos.seed", 1);
        long started = System.nanoTime();
        Random jitter = new Random(seed);
        Path bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");
        try (EmbeddedKafkaCluster kafka = KafkaTestCluster.start();
                FlinkTestCluster flink = FlinkTestCluster.start(2, 2, 2)) {
            kafka.createTopics(4, IN, LABELED, MODERATION, DLQ);
            kafka.createTopics(
                    4,
                    INTENTS.stream()
                            .map(l -> INTENT_PATTERN.replace("{label}", l))
                            .toArray(String[]::new));

            Configuration conf = jobConfig(kafka, bundle);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            JobSinks sinks = ClassificationJob.kafkaSinks(conf);
            JobSinks faulty =
                    new JobSinks(
                            new CommitFailingSink<>((KafkaSink<LabeledEvent>) sinks.labeled()),
                            sinks.moderation(),
                            sinks.intents(),
                            sinks.deadLetters());
            ClassificationWorkflow.of(conf)
                    .define(env, ClassificationJob.kafkaSource(conf), faulty);
            JobClient job = env.executeAsync("chaos-itcase");
            JobID id = job.getJobID();

            Thread producer = new Thread(() -> produce(kafka, seed), "chaos-producer");
            producer.setDaemon(true);
            Thread monitor = new Thread(() -> watchRestores(flink, id), "chaos-restores");
            monitor.setDaemon(true);
            monitor.start();
            flink.awaitAllRunning(id, STEP_TIMEOUT);
            producer.start();

            try (Admin admin = kafka.admin()) {
                // (1) A TaskManager dies.
                strike(
                        flink,
                        id,
                        jitter,
                        "taskmanager-killed",
                        true,
                        () -> {
                            assertThat(flink.taskManagersOf(id))
                                    .as("the job runs on both TaskManagers, so either hits it")
                                    .hasSize(2);
                            flink.killTaskManager(0);
                            flink.startTaskManager();
                            return "TaskManager 0 killed, a replacement started";
                        });

                // (2) The broker that leads the labeled topic restarts.
                strike(
                        flink,
                        id,
                        jitter,
                        "labeled-leader-restarted",
                        false,
                        () -> {
                            Map<Integer, Integer> leaders = kafka.leaders(LABELED);
                            int broker = mostFrequent(leaders.values());
                            kafka.restartBroker(broker);
                            return "broker "
                                    + broker
                                    + " led labeled partitions "
                                    + leaders.entrySet().stream()
                                            .filter(e -> e.getValue() == broker)
                                            .map(Map.Entry::getKey)
                                            .toList();
                        });

                // (3) The transaction coordinator restarts while transactions are open.
                strike(
                        flink,
                        id,
                        jitter,
                        "coordinator-restarted",
                        false,
                        () -> {
                            Map<Integer, List<String>> open = openTransactionsByCoordinator(admin);
                            assertThat(open).as("open transactions of the job").isNotEmpty();
                            int broker =
                                    open.entrySet().stream()
                                            .max(
                                                    Map.Entry.comparingByValue(
                                                            (a, b) -> a.size() - b.size()))
                                            .orElseThrow()
                                            .getKey();
                            kafka.restartBroker(broker);
                            return "broker " + broker + " coordinated open " + open.get(broker);
                        });

                // (4) The network between the job and the brokers is cut for 30 s.
                strike(
                        flink,
                        id,
                        jitter,
                        "network-cut",
                        false,
                        () -> {
                            long before =
                                    kafka.proxies().stream().mapToLong(TcpProxy::resetByCuts).sum();
                            kafka.cutNetwork();
                            try {
                                Thread.sleep(CUT.toMillis());
                            } finally {
                                kafka.restoreNetwork();
                            }
                            long reset =
                                    kafka.proxies().stream().mapToLong(TcpProxy::resetByCuts).sum()
                                            - before;
                            long hung =
                                    kafka.proxies().stream()
                                            .mapToLong(TcpProxy::blackholedConnections)
                                            .sum();
                            assertThat(reset).as("live job connections cut").isPositive();
                            return "cut for "
                                    + CUT.toSeconds()
                                    + " s: "
                                    + reset
                                    + " socket ends reset, "
                                    + hung
                                    + " connection attempts left hanging";
                        });

                // (5) The job fails after a checkpoint completed and before its Kafka commit.
                strikeBetweenCheckpointAndCommit(flink, id, admin, jitter);
            }

            producer.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(producer.isAlive()).as("producer finished").isFalse();
            assertThat(sendFailures).as("input sends failed").isEmpty();
            awaitEverythingCommitted(kafka);
            job.cancel().get(60, TimeUnit.SECONDS);
            monitor.interrupt();

            verify(kafka, started);
        }
    }

    /**
     * Waits for a running job with two more completed checkpoints, then strikes {@code fault} the
     * moment events are buffered and batches are in flight.
     */
    private void strike(
            FlinkTestCluster flink,
            JobID id,
            Random jitter,
            String name,
            boolean mustRecover,
            Fault fault)
            throws Exception {
        long completed = awaitRunningWithTwoNewCheckpoints(flink, id);
        Thread.sleep(jitter.nextInt(2000));
        int restoresBefore = restores.size();
        long[] busy = awaitBusy(flink.metrics(), id);
        String what = fault.run();
        String line =
                String.format(
                        "fault %s after checkpoint %d with %d events buffered and %d batches in flight: %s",
                        name, completed, busy[0], busy[1], what);
        System.out.println(line);
        faultLog.add(line);
        if (mustRecover) {
            awaitNewRestore(restoresBefore, completed);
        }
    }

    private void strikeBetweenCheckpointAndCommit(
            FlinkTestCluster flink, JobID id, Admin admin, Random jitter) throws Exception {
        long completed = awaitRunningWithTwoNewCheckpoints(flink, id);
        Thread.sleep(jitter.nextInt(2000));
        int restoresBefore = restores.size();
        AtomicReference<String> moment = new AtomicReference<>();
        AtomicLong failedAfter = new AtomicLong();
        var fired =
                CommitFailingSink.arm(
                        tx -> {
                            try {
                                long done = flink.latestCompletedCheckpoint(id);
                                long buffered = (long) flink.metrics().sum(id, "bufferedEvents");
                                long inFlight = (long) flink.metrics().sum(id, "batchesInFlight");
                                if (done <= completed || buffered == 0 || inFlight == 0) {
                                    return false;
                                }
                                TransactionDescription d =
                                        admin.describeTransactions(List.of(tx))
                                                .description(tx)
                                                .get(10, TimeUnit.SECONDS);
                                if (d.state() != TransactionState.ONGOING) {
                                    return false;
                                }
                                failedAfter.set(done);
                                moment.set(
                                        String.format(
                                                "checkpoint %d completed, %s still %s on broker %d,"
                                                        + " %d events buffered, %d batches in flight",
                                                done,
                                                tx,
                                                d.state(),
                                                d.coordinatorId(),
                                                buffered,
                                                inFlight));
                                return true;
                            } catch (Exception e) {
                                return false;
                            }
                        });
        fired.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String line = "fault commit-failed after checkpoint " + completed + ": " + moment.get();
        System.out.println(line);
        faultLog.add(line);
        RestoredCheckpointStats r = awaitNewRestore(restoresBefore, completed);
        assertThat(r.getCheckpointId())
                .as("recovery restored the checkpoint whose commit failed (or a later one)")
                .isGreaterThanOrEqualTo(failedAfter.get());
    }

    private long awaitRunningWithTwoNewCheckpoints(FlinkTestCluster flink, JobID id)
            throws Exception {
        flink.awaitAllRunning(id, STEP_TIMEOUT);
        long base = flink.latestCompletedCheckpoint(id);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (flink.latestCompletedCheckpoint(id) < base + 2 || !flink.allRunning(id)) {
            assertThat(System.nanoTime()).as("two checkpoints completed").isLessThan(deadline);
            Thread.sleep(100);
        }
        return flink.latestCompletedCheckpoint(id);
    }

    /** Waits until events are buffered and batches are in flight at once; returns both sums. */
    private static long[] awaitBusy(JobMetrics metrics, JobID id) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            long buffered = (long) metrics.sum(id, "bufferedEvents");
            long inFlight = (long) metrics.sum(id, "batchesInFlight");
            if (buffered > 0 && inFlight > 0) {
                return new long[] {buffered, inFlight};
            }
            assertThat(System.nanoTime())
                    .as("events buffered and batches in flight at once")
                    .isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private RestoredCheckpointStats awaitNewRestore(int before, long completedBeforeFault)
            throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (restores.size() <= before) {
            assertThat(System.nanoTime()).as("the job recovered").isLessThan(deadline);
            Thread.sleep(50);
        }
        RestoredCheckpointStats r = restores.get(restores.size() - 1);
        assertThat(r.getCheckpointId())
                .as("recovery restored a checkpoint completed before the fault")
                .isPositive()
                .isGreaterThanOrEqualTo(completedBeforeFault);
        return r;
    }

    private void watchRestores(FlinkTestCluster flink, JobID id) {
        long lastTimestamp = -1;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                RestoredCheckpointStats r = flink.latestRestore(id);
                if (r != null && r.getRestoreTimestamp() != lastTimestamp) {
                    lastTimestamp = r.getRestoreTimestamp();
                    restores.add(r);
                    System.out.println(
                            "recovery restored checkpoint "
                                    + r.getCheckpointId()
                                    + " at "
                                    + Instant.ofEpochMilli(r.getRestoreTimestamp()));
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the job may be between states; look again
            }
        }
    }

    private void produce(EmbeddedKafkaCluster kafka, long seed) {
        ChatTraffic traffic = new ChatTraffic(seed);
        RecordEncoder<TextEvent> writer =
                RecordEncoder.of(TextEvent.class, WireFormat.SINGLE_OBJECT, 0);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "acks",
                                "all",
                                "enable.idempotence",
                                "true",
                                "linger.ms",
                                "5"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (int i = 0; i < EVENTS; i++) {
                long due = start + (long) (i * 1e9 / EVENTS_PER_SECOND);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                String key = traffic.nextKey(KEYS);
                byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                if (traffic.nextMalformed(MALFORMED)) {
                    p.send(
                            new ProducerRecord<>(IN, keyBytes, traffic.malformedValue()),
                            (meta, error) -> {
                                if (error != null) {
                                    sendFailures.add(error);
                                } else {
                                    malformedOffsets.add(meta.partition() + "/" + meta.offset());
                                }
                            });
                } else {
                    String eventId = "c-" + i;
                    validIds.add(eventId);
                    sentOrderByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                    TextEvent e = Events.createdNow(eventId, key, traffic.nextText(), "chaos");
                    p.send(
                            new ProducerRecord<>(IN, keyBytes, writer.encode(e)),
                            (meta, error) -> {
                                if (error != null) {
                                    sendFailures.add(error);
                                }
                            });
                }
                sent.incrementAndGet();
            }
            p.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads labeled events and dead letters until every sent id came back (or a deadline). */
    private void awaitEverythingCommitted(EmbeddedKafkaCluster kafka) {
        Set<String> labeled = new java.util.HashSet<>();
        Set<String> dead = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        try (KafkaConsumer<byte[], byte[]> c = readCommittedConsumer(kafka)) {
            c.subscribe(List.of(LABELED, DLQ));
            while (System.nanoTime() < deadline
                    && (labeled.size() < validIds.size()
                            || dead.size() < malformedOffsets.size())) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(LABELED)) {
                        labeled.add(labeledEvent(r).getEvent().getEventId());
                    } else {
                        DeadLetter d = deadLetter(r);
                        dead.add(d.getSourcePartition() + "/" + d.getSourceOffset());
                    }
                }
            }
        }
        System.out.printf(
                "caught up: %d of %d labeled, %d of %d dead letters%n",
                labeled.size(), validIds.size(), dead.size(), malformedOffsets.size());
    }

    private void verify(EmbeddedKafkaCluster kafka, long started) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Duration quiet = Duration.ofSeconds(3);
        List<ConsumerRecord<byte[], byte[]>> labeledRecords =
                KafkaTestClients.readCommitted(bootstrap, LABELED, quiet);
        List<LabeledEvent> labeled = new ArrayList<>();
        for (var r : labeledRecords) {
            labeled.add(labeledEvent(r));
        }
        List<DeadLetter> dlq = new ArrayList<>();
        for (var r : KafkaTestClients.readCommitted(bootstrap, DLQ, quiet)) {
            dlq.add(deadLetter(r));
        }

        // Every valid id exactly once among labeled events; dead letters count by source offset.
        Map<String, Integer> labeledCounts = new HashMap<>();
        labeled.forEach(e -> labeledCounts.merge(e.getEvent().getEventId(), 1, Integer::sum));
        Map<String, Integer> deadCounts = new HashMap<>();
        dlq.forEach(
                d ->
                        deadCounts.merge(
                                d.getSourcePartition() + "/" + d.getSourceOffset(),
                                1,
                                Integer::sum));
        long duplicates =
                labeledCounts.values().stream().filter(c -> c > 1).count()
                        + deadCounts.values().stream().filter(c -> c > 1).count();
        long missing =
                validIds.stream().filter(i -> !labeledCounts.containsKey(i)).count()
                        + malformedOffsets.stream().filter(o -> !deadCounts.containsKey(o)).count();

        // Per key, labeled events in the order the producer sent them.
        Map<String, List<Integer>> labeledOrderByKey = new HashMap<>();
        for (LabeledEvent e : labeled) {
            labeledOrderByKey
                    .computeIfAbsent(e.getEvent().getKey(), k -> new ArrayList<>())
                    .add(Integer.parseInt(e.getEvent().getEventId().substring(2)));
        }
        long reordered = 0;
        for (List<Integer> order : labeledOrderByKey.values()) {
            for (int i = 1; i < order.size(); i++) {
                reordered += order.get(i) < order.get(i - 1) ? 1 : 0;
            }
        }

        System.out.printf(
                "chaos: in=%d labeled=%d dlq=%d duplicates=%d missing=%d reordered=%d faults=%d%n",
                sent.get(),
                labeled.size(),
                dlq.size(),
                duplicates,
                missing,
                reordered,
                faultLog.size());
        System.out.printf(
                "chaos: seed=%d, %d recoveries restored checkpoints %s, %.0f s%n",
                Long.getLong("chaos.seed", 1),
                restores.size(),
                restores.stream().map(RestoredCheckpointStats::getCheckpointId).toList(),
                (System.nanoTime() - started) / 1e9);

        assertThat(sent.get()).isEqualTo(EVENTS);
        assertThat(validIds.size() + malformedOffsets.size()).isEqualTo(EVENTS);
        assertThat(faultLog).hasSize(5);
        assertThat(duplicates).isZero();
        assertThat(missing).isZero();
        assertThat(labeledCounts.keySet()).isEqualTo(validIds);
        assertThat(deadCounts.keySet()).isEqualTo(malformedOffsets);
        assertThat(dlq)
                .allSatisfy(
                        d -> {
                            assertThat(d.getSourceTopic()).isEqualTo(IN);
                            assertThat(d.getStage()).isEqualTo("deserialize");
                        });
        assertThat(reordered).isZero();
        assertThat(labeledOrderByKey)
                .as("labeled order per key equals the sent order")
                .isEqualTo(sentOrderByKey);
        assertThat(restores)
                .as("every recovery restored a checkpoint")
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getCheckpointId()).isPositive());

        // The moderation topic is exactly the labeled events the threshold rule flags.
        Set<String> flagged =
                labeled.stream()
                        .filter(ChaosITCase::toxicAboveThreshold)
                        .map(e -> e.getEvent().getEventId())
                        .collect(Collectors.toSet());
        Map<String, Integer> moderated = new HashMap<>();
        for (var r : KafkaTestClients.readCommitted(bootstrap, MODERATION, quiet)) {
            moderated.merge(labeledEvent(r).getEvent().getEventId(), 1, Integer::sum);
        }
        assertThat(moderated.values()).as("moderation duplicates").allMatch(c -> c == 1);
        assertThat(moderated.keySet()).isEqualTo(flagged);

        // Each labeled event in exactly one intent topic: the one of its intent label.
        Map<String, String> intentOf =
                labeled.stream()
                        .collect(
                                Collectors.toMap(
                                        e -> e.getEvent().getEventId(),
                                        e -> result(e, "intent").getLabel(),
                                        (a, b) -> a));
        Map<String, Integer> routed = new HashMap<>();
        for (String intent : INTENTS) {
            String topic = INTENT_PATTERN.replace("{label}", intent);
            for (var r : KafkaTestClients.readCommitted(bootstrap, topic, quiet)) {
                String eventId = labeledEvent(r).getEvent().getEventId();
                routed.merge(eventId, 1, Integer::sum);
                assertThat(intentOf.get(eventId))
                        .as("intent topic of " + eventId)
                        .isEqualTo(intent);
            }
        }
        assertThat(routed.values()).as("intent duplicates").allMatch(c -> c == 1);
        assertThat(routed.keySet()).isEqualTo(validIds);
    }

    /** The moderation rule, recomputed here rather than taken from the job's RoutingRules. */
    private static boolean toxicAboveThreshold(LabeledEvent e) {
        Float p = result(e, "toxicity").getScores().get("toxic");
        return p != null && p >= MODERATION_THRESHOLD;
    }

    private static TaskResult result(LabeledEvent e, String task) {
        return e.getResults().stream()
                .filter(r -> r.getTask().equals(task))
                .findFirst()
                .orElseThrow();
    }

    private static Map<Integer, List<String>> openTransactionsByCoordinator(Admin admin)
            throws Exception {
        List<String> open =
                admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.transactionalId().startsWith(TX_PREFIX))
                        .filter(t -> t.state() == TransactionState.ONGOING)
                        .map(TransactionListing::transactionalId)
                        .toList();
        if (open.isEmpty()) {
            return Map.of();
        }
        return admin.describeTransactions(open).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .filter(e -> e.getValue().state() == TransactionState.ONGOING)
                .collect(
                        Collectors.groupingBy(
                                e -> e.getValue().coordinatorId(),
                                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    }

    private static int mostFrequent(java.util.Collection<Integer> values) {
        return values.stream()
                .collect(Collectors.groupingBy(v -> v, Collectors.counting()))
                .entrySet()
                .stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow()
                .getKey();
    }

    private static Configuration jobConfig(EmbeddedKafkaCluster kafka, Path bundle) {
        Map<String, String> m = new HashMap<>();
        m.put(JobOptions.BOOTSTRAP_SERVERS.key(), kafka.proxiedBootstrapServers());
        m.put(JobOptions.MODEL.key(), bundle.toString());
        m.put(JobOptions.INPUT_TOPIC.key(), IN);
        m.put(JobOptions.LABELED_TOPIC.key(), LABELED);
        m.put(JobOptions.MODERATION_TOPIC.key(), MODERATION);
        m.put(JobOptions.DEAD_LETTER_TOPIC.key(), DLQ);
        m.put(JobOptions.INTENT_TOPIC_PATTERN.key(), INTENT_PATTERN);
        m.put(JobOptions.MODERATION_THRESHOLD.key(), String.valueOf(MODERATION_THRESHOLD));
        m.put(JobOptions.TRANSACTIONAL_ID_PREFIX.key(), TX_PREFIX);
        m.put(JobOptions.GROUP_ID.key(), "chaos");
        m.put(JobOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        m.put(JobOptions.TRANSACTION_TIMEOUT.key(), "5 min");
        m.put(JobOptions.STARTING_OFFSETS.key(), "earliest");
        m.put(JobOptions.PARALLELISM.key(), "2");
        m.put("serde.input.format", "SINGLE_OBJECT");
        m.put("serde.output.format", "SINGLE_OBJECT");
        m.put("restart-strategy.type", "fixed-delay");
        m.put("restart-strategy.fixed-delay.attempts", "50");
        m.put("restart-strategy.fixed-delay.delay", "1 s");
        Configuration conf = Configuration.fromMap(m);
        JobConfig.validate(conf);
        return conf;
    }

    private static KafkaConsumer<byte[], byte[]> readCommittedConsumer(EmbeddedKafkaCluster kafka) {
        return new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        kafka.bootstrapServers(),
                        "group.id",
                        "chaos-verify-" + java.util.UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest",
                        "isolation.level",
                        "read_committed",
                        "enable.auto.commit",
                        "false"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static LabeledEvent labeledEvent(ConsumerRecord<byte[], byte[]> r) {
        try {
            return LabeledEvent.fromByteBuffer(ByteBuffer.wrap(r.value()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> r) {
        try {
            return DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One fault; returns what it did. */
    @FunctionalInterface
    private interface Fault {
        String run() throws Exception;
    }
}
