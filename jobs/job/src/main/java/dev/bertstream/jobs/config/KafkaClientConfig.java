package dev.bertstream.jobs.config;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka client properties of the job and the CLI tools: a client properties file ({@code
 * --kafka-config}, as Kafka's own tools take it) overlaid with {@code kafka.properties.*}; and
 * which of them are secrets, so that they never reach Flink's configuration, its logs or its REST
 * API.
 *
 * <pre>{@code
 * Properties props = KafkaClientConfig.properties(conf);          // for Kafka clients
 * env.configure(KafkaClientConfig.withoutSecrets(conf));          // for Flink
 * }</pre>
 */
@PublicEvolving
public final class KafkaClientConfig {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClientConfig.class);

    /**
     * Kafka's own secrets: every client setting of type PASSWORD (sasl.jaas.config,
     * ssl.keystore.password, ssl.keystore.key, ssl.key.password, ...). Kafka hides these in its
     * logs; Flink's key-name heuristic ({@link GlobalConfiguration#isSensitive}) misses some, e.g.
     * ssl.keystore.key.
     */
    private static final Set<String> KAFKA_PASSWORD_KEYS = passwordKeys();

    private KafkaClientConfig() {}

    /**
     * The file named by {@link JobOptions#CLIENT_CONFIG} (if set), then {@code kafka.properties.*}
     * on top.
     *
     * @throws InvalidConfigException naming the file (never its contents) when it cannot be read
     */
    public static Properties properties(Configuration conf) {
        Properties p = new Properties();
        conf.getOptional(JobOptions.CLIENT_CONFIG).map(Path::of).ifPresent(f -> p.putAll(read(f)));
        conf.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith(JobConfig.KAFKA_PROPERTIES_PREFIX)) {
                                p.setProperty(
                                        k.substring(JobConfig.KAFKA_PROPERTIES_PREFIX.length()), v);
                            }
                        });
        return p;
    }

    /**
     * Sets {@code key} to the value the job needs, with a WARN naming the key, the user's value and
     * the value used when {@code props} (the user's {@link #properties}) held another one: the job
     * overrides a few settings its guarantees rest on (exactly-once reads and writes), and a
     * silently ignored setting costs an operator hours. Values of secret keys are never logged.
     *
     * @param why what the job's value is for, e.g. "exactly-once: ..."
     */
    public static void override(Properties props, String key, String value, String why) {
        String user = props.getProperty(key);
        if (user != null && !user.trim().equals(value)) {
            boolean secret = isSecret(key);
            LOG.warn(
                    "Kafka client property {} = {} (from {} or {}*) is overridden with {}: {}",
                    key,
                    secret ? "(hidden)" : user,
                    JobOptions.CLIENT_CONFIG.key(),
                    JobConfig.KAFKA_PROPERTIES_PREFIX,
                    secret ? "(hidden)" : value,
                    why);
        }
        props.setProperty(key, value);
    }

    /**
     * Reads a Kafka client properties file.
     *
     * @throws InvalidConfigException naming the file when it is missing or unreadable; the message
     *     never quotes the file, which holds passwords
     */
    public static Properties read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidConfigException(
                    "Kafka client config file "
                            + file
                            + " ("
                            + JobOptions.CLIENT_CONFIG.key()
                            + ", --kafka-config) does not exist or is not readable");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            // Not e's message: a malformed-escape message may quote a line of the file.
            throw new InvalidConfigException(
                    "Cannot read Kafka client config file "
                            + file
                            + " as Java properties ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
        return p;
    }

    /** Whether the Kafka client setting {@code kafkaKey} holds a secret. */
    public static boolean isSecret(String kafkaKey) {
        return KAFKA_PASSWORD_KEYS.contains(kafkaKey) || GlobalConfiguration.isSensitive(kafkaKey);
    }

    /**
     * {@code conf} without the {@code kafka.properties.*} entries that hold secrets: what may be
     * handed to Flink, which shows its configuration in the web UI and REST API and logs it.
     */
    public static Configuration withoutSecrets(Configuration conf) {
        Map<String, String> kept = new HashMap<>();
        conf.toMap()
                .forEach(
                        (k, v) -> {
                            if (!(k.startsWith(JobConfig.KAFKA_PROPERTIES_PREFIX)
                                    && isSecret(
                                            k.substring(
                                                    JobConfig.KAFKA_PROPERTIES_PREFIX.length())))) {
                                kept.put(k, v);
                            }
                        });
        return Configuration.fromMap(kept);
    }

    private static Set<String> passwordKeys() {
        Set<String> keys = new TreeSet<>();
        for (ConfigDef def :
                new ConfigDef[] {
                    ProducerConfig.configDef(),
                    ConsumerConfig.configDef(),
                    AdminClientConfig.configDef()
                }) {
            def.configKeys()
                    .forEach(
                            (k, v) -> {
                                if (v.type == ConfigDef.Type.PASSWORD) {
                                    keys.add(k);
                                }
                            });
        }
        return keys;
    }
}
