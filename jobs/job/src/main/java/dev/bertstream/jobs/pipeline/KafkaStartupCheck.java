package dev.bertstream.jobs.pipeline;

import dev.bertstream.jobs.config.JobConfig;
import dev.bertstream.jobs.config.JobOptions;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fails the job at start-up when Kafka does not answer or a topic it reads or writes is missing.
 * Without it the Kafka source and sinks retry an unreachable broker forever, logging a disconnect
 * warning per attempt, and the job never fails.
 *
 * <pre>{@code
 * KafkaStartupCheck.verify(conf); // within kafka.startup-check-timeout, or KafkaStartupException
 * }</pre>
 */
@PublicEvolving
public final class KafkaStartupCheck {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStartupCheck.class);

    private KafkaStartupCheck() {}

    /**
     * Lists the topics with the Kafka Admin client and checks that the input, labeled, moderation
     * and dead-letter topics (and the control topic, if set) are among them. Intent topics are
     * named per label at run time and are not checked.
     *
     * @throws KafkaStartupException naming the servers when they do not answer within {@link
     *     JobOptions#STARTUP_CHECK_TIMEOUT}, or naming every missing topic and its option
     */
    public static void verify(Configuration conf) {
        Duration timeout = conf.get(JobOptions.STARTUP_CHECK_TIMEOUT);
        if (timeout.isZero() || timeout.isNegative()) {
            LOG.info(
                    "Kafka start-up check skipped ({} is {})",
                    JobOptions.STARTUP_CHECK_TIMEOUT.key(),
                    timeout);
            return;
        }
        long start = System.nanoTime();
        String servers = conf.get(JobOptions.BOOTSTRAP_SERVERS);
        Set<String> existing = listTopics(conf, servers, timeout);
        List<String> missing = new ArrayList<>();
        topicsByOption(conf)
                .forEach(
                        (option, topic) -> {
                            if (!existing.contains(topic)) {
                                missing.add("'" + topic + "' (" + option.key() + ")");
                            }
                        });
        if (!missing.isEmpty()) {
            LOG.warn("Kafka start-up check failed: {} has no topic {}", servers, missing);
            throw new KafkaStartupException(
                    "Kafka at "
                            + servers
                            + " has no topic "
                            + String.join(", ", missing)
                            + " (or this client may not describe it). Create the topics, or point"
                            + " the options at existing ones.");
        }
        LOG.info(
                "Kafka start-up check passed in {} ms: {} answers and has the topics {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                servers,
                topicsByOption(conf).values());
    }

    /** The topics the job reads and writes, by the option that names each. */
    static Map<ConfigOption<String>, String> topicsByOption(Configuration conf) {
        Map<ConfigOption<String>, String> topics = new LinkedHashMap<>();
        for (ConfigOption<String> o :
                List.of(
                        JobOptions.INPUT_TOPIC,
                        JobOptions.LABELED_TOPIC,
                        JobOptions.MODERATION_TOPIC,
                        JobOptions.DEAD_LETTER_TOPIC)) {
            topics.put(o, conf.get(o));
        }
        if (!conf.get(JobOptions.CONTROL_TOPIC).isBlank()) {
            topics.put(JobOptions.CONTROL_TOPIC, conf.get(JobOptions.CONTROL_TOPIC).strip());
        }
        return topics;
    }

    private static Set<String> listTopics(Configuration conf, String servers, Duration timeout) {
        Properties props = JobConfig.kafkaProperties(conf);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ms));
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (KafkaException e) {
            // Unresolvable host names and bad client settings fail here, before any connection.
            throw new KafkaStartupException(
                    "Cannot connect to Kafka at "
                            + servers
                            + " ("
                            + JobOptions.BOOTSTRAP_SERVERS.key()
                            + "): "
                            + rootMessage(e),
                    e);
        }
        try {
            return admin.listTopics(new ListTopicsOptions().timeoutMs(ms))
                    .names()
                    // The admin call times out on its own; the slack only guards against a hang.
                    .get(ms + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            KafkaStartupException failure = notAnswering(servers, timeout, e);
            LOG.warn("Kafka start-up check failed: {}", failure.getMessage());
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaStartupException("Interrupted while checking Kafka at " + servers, e);
        } finally {
            // Nothing is pending any more that is worth waiting for.
            admin.close(Duration.ZERO);
        }
    }

    private static KafkaStartupException notAnswering(
            String servers, Duration timeout, Exception e) {
        Throwable cause =
                e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        boolean timedOut =
                cause instanceof TimeoutException
                        || cause instanceof org.apache.kafka.common.errors.TimeoutException;
        String what =
                timedOut
                        ? "did not answer within "
                                + (timeout.toMillis() % 1000 == 0
                                        ? timeout.toSeconds() + " s"
                                        : timeout.toMillis() + " ms")
                                + " ("
                                + JobOptions.STARTUP_CHECK_TIMEOUT.key()
                                + ")"
                        : "could not list topics";
        return new KafkaStartupException(
                "Kafka at "
                        + servers
                        + " ("
                        + JobOptions.BOOTSTRAP_SERVERS.key()
                        + ") "
                        + what
                        + ": "
                        + rootMessage(cause)
                        + ". Check that the brokers run and are reachable from here, and the "
                        + JobConfig.KAFKA_PROPERTIES_PREFIX
                        + "* client settings (security.protocol and the like).",
                cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
