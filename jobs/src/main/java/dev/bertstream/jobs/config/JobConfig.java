package dev.bertstream.jobs.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.YamlParserUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads the job configuration from a YAML file and {@code --key value} overrides, and validates it
 * at start-up with messages that name the key. Flink's own options (execution, state, pipeline,
 * restart-strategy, ...) pass through to the execution environment; {@code kafka.properties.*} pass
 * through to the Kafka clients.
 */
public final class JobConfig {

    /** Prefix of options handed to the Kafka clients unchanged (security settings and the like). */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    private static final List<String> FLINK_PREFIXES =
            List.of(
                    "execution.",
                    "state.",
                    "pipeline.",
                    "restart-strategy.",
                    "taskmanager.",
                    "jobmanager.",
                    "rest.",
                    "metrics.",
                    "high-availability.",
                    "parallelism.",
                    "checkpointing.",
                    "table.",
                    "web.",
                    "env.");

    private JobConfig() {}

    /**
     * Reads {@code yaml} (may be null) and applies {@code overrides} ({@code --key value} pairs).
     */
    public static Configuration load(Path yaml, List<String> overrides) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        if (yaml != null) {
            if (!Files.isRegularFile(yaml)) {
                throw new InvalidConfigException("Config file " + yaml + " does not exist");
            }
            flatten("", YamlParserUtils.loadYamlFile(yaml.toFile()), values);
        }
        for (int i = 0; i < overrides.size(); i++) {
            String arg = overrides.get(i);
            if (!arg.startsWith("--") || i + 1 >= overrides.size()) {
                throw new InvalidConfigException(
                        "Overrides are '--key value' pairs; cannot read '" + arg + "'");
            }
            values.put(arg.substring(2), overrides.get(++i));
        }
        Configuration conf = Configuration.fromMap(values);
        validate(conf);
        return conf;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Map<String, String> out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map) {
                flatten(key + ".", (Map<String, Object>) e.getValue(), out);
            } else if (e.getValue() instanceof List<?> list) {
                out.put(key, String.join(";", list.stream().map(String::valueOf).toList()));
            } else {
                out.put(key, String.valueOf(e.getValue()));
            }
        }
    }

    /**
     * Fails with a message naming the key for unknown keys, missing required values and values out
     * of range.
     */
    public static void validate(Configuration conf) {
        Set<String> known = knownKeys();
        for (String key : conf.keySet()) {
            if (!known.contains(key)
                    && !key.startsWith(KAFKA_PROPERTIES_PREFIX)
                    && FLINK_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new InvalidConfigException(
                        "Unknown option '" + key + "'" + suggestion(key, known));
            }
        }
        try {
            for (ConfigOption<?> o : JobOptions.all()) {
                conf.get(o);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("Invalid value: " + e.getMessage());
        }
        require(conf, JobOptions.BOOTSTRAP_SERVERS);
        require(conf, JobOptions.MODEL);
        positive(conf, JobOptions.BATCH_MAX_SIZE);
        positive(conf, JobOptions.BATCH_MAX_TOKENS);
        positive(conf, JobOptions.CAPACITY);
        positive(conf, JobOptions.PARALLELISM);
        positive(conf, JobOptions.INFERENCE_THREADS);
        if (conf.get(JobOptions.RETRIES) < 0) {
            throw new InvalidConfigException(JobOptions.RETRIES.key() + " must be >= 0");
        }
        for (ConfigOption<Duration> d :
                List.of(
                        JobOptions.BATCH_MAX_WAIT,
                        JobOptions.TIMEOUT,
                        JobOptions.CHECKPOINT_INTERVAL)) {
            if (conf.get(d).isZero() || conf.get(d).isNegative()) {
                throw new InvalidConfigException(d.key() + " must be positive, got " + conf.get(d));
            }
        }
        double threshold = conf.get(JobOptions.MODERATION_THRESHOLD);
        if (threshold < 0 || threshold > 1) {
            throw new InvalidConfigException(
                    JobOptions.MODERATION_THRESHOLD.key() + " must be in [0, 1], got " + threshold);
        }
        Duration txTimeout = conf.get(JobOptions.TRANSACTION_TIMEOUT);
        Duration checkpoint = conf.get(JobOptions.CHECKPOINT_INTERVAL);
        if (txTimeout.compareTo(checkpoint.multipliedBy(2)) < 0) {
            throw new InvalidConfigException(
                    JobOptions.TRANSACTION_TIMEOUT.key()
                            + " ("
                            + txTimeout
                            + ") must be at least "
                            + "twice "
                            + JobOptions.CHECKPOINT_INTERVAL.key()
                            + " ("
                            + checkpoint
                            + ") plus restart time, or "
                            + "the broker aborts transactions of committed checkpoints and data is lost");
        }
    }

    /** Kafka client properties given as {@code kafka.properties.*}. */
    public static Properties kafkaProperties(Configuration conf) {
        Properties p = new Properties();
        conf.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                                p.setProperty(k.substring(KAFKA_PROPERTIES_PREFIX.length()), v);
                            }
                        });
        return p;
    }

    private static void require(Configuration conf, ConfigOption<String> o) {
        if (conf.get(o) == null || conf.get(o).isBlank()) {
            throw new InvalidConfigException(
                    "Missing required option '" + o.key() + "': " + PlainTextFormatter.describe(o));
        }
    }

    private static void positive(Configuration conf, ConfigOption<Integer> o) {
        if (conf.get(o) < 1) {
            throw new InvalidConfigException(o.key() + " must be >= 1, got " + conf.get(o));
        }
    }

    static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        ConfigDocs.allOptions().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, key.length() / 4)
                ? "; did you mean '" + best + "'?"
                : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] =
                        Math.min(
                                Math.min(cur[j - 1], prev[j]) + 1,
                                prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
