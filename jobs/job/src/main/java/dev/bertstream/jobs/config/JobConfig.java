package dev.bertstream.jobs.config;

import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.BundleTrust;
import dev.bertstream.serde.DeadLetterLimits;
import dev.bertstream.serde.DeadLetterSerializationSchema;
import dev.bertstream.serde.LabeledEventSerializationSchema;
import dev.bertstream.serde.SerdeOptions;
import dev.bertstream.serde.TextEventDeserializationSchema;
import dev.bertstream.serde.WireFormat;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.YamlParserUtils;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads the job configuration from a YAML file and {@code --key value} overrides, and validates it
 * at start-up with messages that name the key. Flink's own options (execution, state, pipeline,
 * restart-strategy, ...) pass through to the execution environment; {@code kafka.properties.*} pass
 * through to the Kafka clients.
 */
@PublicEvolving
public final class JobConfig {

    private static final Logger LOG = LoggerFactory.getLogger(JobConfig.class);

    /** Prefix of options handed to the Kafka clients unchanged (security settings and the like). */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    /**
     * Prefixes of Flink's own options, which pass through unchecked to the execution environment
     * (the deploy tests accept exactly these in the manifests).
     */
    public static final List<String> FLINK_PREFIXES =
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
        LOG.info(
                "Job configuration ({}, {} overrides):\n{}",
                yaml == null ? "no file" : yaml,
                overrides.size() / 2,
                summary(conf));
        return conf;
    }

    /**
     * The effective configuration, one {@code key: value} line per job option (defaults marked),
     * then every pass-through key that is set; values of secrets (Kafka passwords, Flink's
     * sensitive keys) among the pass-through keys are hidden (no job option holds a secret: they
     * live in the kafka.client-config file, of which only the path is shown). For the start-up log.
     */
    public static String summary(Configuration conf) {
        StringBuilder out = new StringBuilder();
        Set<String> known = new TreeSet<>();
        for (ConfigOption<?> o : ConfigDocs.allOptions()) {
            known.add(o.key());
            Object value;
            try {
                value = conf.getOptional(o).orElse(null);
            } catch (IllegalArgumentException e) {
                value = "(invalid)";
            }
            boolean set = conf.containsKey(o.key());
            if (value == null && !set) {
                value = o.hasDefaultValue() ? o.defaultValue() : null;
            }
            out.append("  ")
                    .append(o.key())
                    .append(": ")
                    .append(
                            value == null
                                    ? "(none)"
                                    : value instanceof Duration d
                                            ? TimeUtils.formatWithHighestUnit(d)
                                            : value)
                    .append(set ? "" : " (default)")
                    .append('\n');
        }
        new TreeSet<>(conf.keySet())
                .stream()
                        .filter(k -> !known.contains(k))
                        .forEach(
                                k ->
                                        out.append("  ")
                                                .append(k)
                                                .append(": ")
                                                .append(hidden(k) ? "******" : conf.toMap().get(k))
                                                .append('\n'));
        return out.toString().stripTrailing();
    }

    private static boolean hidden(String key) {
        return key.startsWith(KAFKA_PROPERTIES_PREFIX)
                ? KafkaClientConfig.isSecret(key.substring(KAFKA_PROPERTIES_PREFIX.length()))
                : GlobalConfiguration.isSensitive(key);
    }

    /**
     * A dead letter Kafka refuses fails the sink, and the restart replays the same record forever:
     * refuse caps whose sum can exceed what the dead-letter producer may send.
     */
    private static Optional<String> deadLetterProblem(Configuration conf) {
        DeadLetterLimits limits;
        try {
            limits = DeadLetterLimits.from(conf);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        String maxRequest =
                kafkaProperties(conf)
                        .getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        if (limits.recordBytesBound() > Long.parseLong(maxRequest.trim())) {
            return Optional.of(
                    String.format(
                            "Dead letters can reach %d bytes (%s + 2 x %s + %s + 16 KiB), more than"
                                    + " the dead-letter producer's max.request.size (%s). Lower"
                                    + " those options, or raise %smax.request.size and the"
                                    + " dead-letter topic's max.message.bytes together.",
                            limits.recordBytesBound(),
                            SerdeOptions.DEAD_LETTER_MAX_VALUE_BYTES.key(),
                            SerdeOptions.DEAD_LETTER_MAX_KEY_BYTES.key(),
                            SerdeOptions.DEAD_LETTER_MAX_HEADERS_BYTES.key(),
                            maxRequest,
                            KAFKA_PROPERTIES_PREFIX));
        }
        return Optional.empty();
    }

    private static Optional<String> clientConfigProblem(Configuration conf) {
        try {
            conf.getOptional(JobOptions.CLIENT_CONFIG)
                    .map(Path::of)
                    .ifPresent(KafkaClientConfig::read);
            return Optional.empty();
        } catch (InvalidConfigException e) {
            return Optional.of(e.getMessage());
        }
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
     * Fails with one message that names every unknown key, missing required value, value out of
     * range and unusable serde setup, so that a config is fixed in one go rather than one start-up
     * at a time.
     */
    public static void validate(Configuration conf) {
        List<String> problems = new ArrayList<>();
        Set<String> known = knownKeys();
        for (String key : conf.keySet()) {
            if (!known.contains(key)
                    && !key.startsWith(KAFKA_PROPERTIES_PREFIX)
                    && FLINK_PREFIXES.stream().noneMatch(key::startsWith)) {
                problems.add(unknownOption(key, known));
            }
        }
        // Later checks read typed values; an unparsable one would throw again, so they skip it.
        Set<String> unparsable = new TreeSet<>();
        for (ConfigOption<?> o : ConfigDocs.allOptions()) {
            try {
                conf.get(o);
            } catch (IllegalArgumentException e) {
                unparsable.add(o.key());
                problems.add(
                        "Invalid value of '" + o.key() + "': " + e.getMessage() + validValues(o));
            }
        }
        require(conf, JobOptions.BOOTSTRAP_SERVERS, problems);
        require(conf, JobOptions.MODEL, problems);
        modelTrustProblems(conf, unparsable, problems);
        problems.addAll(LanguageBundles.problems(conf));
        checkRanges(conf, unparsable, problems);
        controlTopicProblem(conf).ifPresent(problems::add);
        Optional<String> clientConfigProblem = clientConfigProblem(conf);
        clientConfigProblem.ifPresent(problems::add);
        if (clientConfigProblem.isEmpty()) {
            deadLetterProblem(conf).ifPresent(problems::add);
        }
        boolean wireFormatProblem = false;
        if (unparsable.stream().noneMatch(k -> k.startsWith("serde."))) {
            List<String> serde = serdeProblems(conf);
            problems.addAll(serde);
            wireFormatProblem =
                    serde.stream()
                            .anyMatch(
                                    p ->
                                            p.contains(SerdeOptions.INPUT_FORMAT.key())
                                                    || p.contains(
                                                            SerdeOptions.OUTPUT_FORMAT.key()));
        }
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        if (problems.size() == 1) {
            message.append(problems.get(0));
        } else {
            message.append(problems.size()).append(" problems in the configuration:");
            problems.forEach(p -> message.append("\n  - ").append(p));
        }
        if (wireFormatProblem) {
            message.append("\n").append(wireFormatHint(conf));
        }
        throw new InvalidConfigException(message.toString());
    }

    /**
     * An unknown key, with the closest known one; a YAML map under {@code
     * inference.language-models} flattens to such keys, so those get the list form instead.
     */
    private static String unknownOption(String key, Set<String> known) {
        String languageModels = JobOptions.LANGUAGE_MODELS.key() + ".";
        if (key.startsWith(languageModels)) {
            String lang = key.substring(languageModels.length());
            return String.format(
                    "Unknown option '%s': %s is a list of LANG=BUNDLE entries, not a map; write"
                            + " '%s: %s=BUNDLE' (entries separated by ';', or a YAML list)",
                    key, JobOptions.LANGUAGE_MODELS.key(), JobOptions.LANGUAGE_MODELS.key(), lang);
        }
        return "Unknown option '" + key + "'" + suggestion(key, known);
    }

    /** For an enum option, {@code "; valid values: a, b, c"}; otherwise empty. */
    private static String validValues(ConfigOption<?> o) {
        if (o.hasDefaultValue() && o.defaultValue() instanceof Enum<?> e) {
            return "; valid values: "
                    + String.join(
                            ", ",
                            Arrays.stream(e.getDeclaringClass().getEnumConstants())
                                    .map(String::valueOf)
                                    .toList());
        }
        return "";
    }

    /** A pinned digest that is not a sha256, or a public key that cannot be read. */
    private static void modelTrustProblems(
            Configuration conf, Set<String> unparsable, List<String> problems) {
        String sha256 =
                unparsable.contains(JobOptions.MODEL_SHA256.key())
                        ? null
                        : conf.get(JobOptions.MODEL_SHA256);
        if (sha256 != null) {
            try {
                BundleTrust.none().withManifestSha256(sha256);
            } catch (IllegalArgumentException e) {
                problems.add(JobOptions.MODEL_SHA256.key() + ": " + e.getMessage());
            }
        }
        String key =
                unparsable.contains(JobOptions.MODEL_PUBLIC_KEY.key())
                        ? null
                        : conf.get(JobOptions.MODEL_PUBLIC_KEY);
        if (key != null) {
            try {
                BundleSigning.parsePublicKey(key);
            } catch (IOException | RuntimeException e) {
                problems.add(
                        JobOptions.MODEL_PUBLIC_KEY.key()
                                + ": cannot read an Ed25519 public key from '"
                                + key
                                + "': "
                                + e.getMessage());
            }
        }
    }

    /** The control topic carries roll-outs only; a data topic there would be read as roll-outs. */
    private static Optional<String> controlTopicProblem(Configuration conf) {
        String control = conf.get(JobOptions.CONTROL_TOPIC).strip();
        if (control.isEmpty()) {
            return Optional.empty();
        }
        for (ConfigOption<String> o :
                List.of(
                        JobOptions.INPUT_TOPIC,
                        JobOptions.LABELED_TOPIC,
                        JobOptions.MODERATION_TOPIC,
                        JobOptions.DEAD_LETTER_TOPIC)) {
            if (control.equals(conf.get(o))) {
                return Optional.of(
                        JobOptions.CONTROL_TOPIC.key()
                                + " must be a topic of its own; it is "
                                + o.key()
                                + " ('"
                                + control
                                + "')");
            }
        }
        return Optional.empty();
    }

    private static void checkRanges(
            Configuration conf, Set<String> unparsable, List<String> problems) {
        for (ConfigOption<Integer> o :
                List.of(
                        JobOptions.BATCH_MAX_SIZE,
                        JobOptions.BATCH_MAX_TOKENS,
                        JobOptions.CAPACITY,
                        JobOptions.PARALLELISM,
                        JobOptions.INFERENCE_THREADS)) {
            if (!unparsable.contains(o.key()) && conf.get(o) < 1) {
                problems.add(o.key() + " must be >= 1, got " + conf.get(o));
            }
        }
        for (ConfigOption<Duration> d :
                List.of(
                        JobOptions.BATCH_MAX_WAIT,
                        JobOptions.TIMEOUT,
                        JobOptions.ROLLOUT_LOAD_TIMEOUT,
                        JobOptions.CHECKPOINT_INTERVAL)) {
            if (!unparsable.contains(d.key())
                    && (conf.get(d).isZero() || conf.get(d).isNegative())) {
                problems.add(d.key() + " must be positive, got " + conf.get(d));
            }
        }
        if (!unparsable.contains(JobOptions.MODERATION_THRESHOLD.key())) {
            double threshold = conf.get(JobOptions.MODERATION_THRESHOLD);
            if (threshold < 0 || threshold > 1) {
                problems.add(
                        JobOptions.MODERATION_THRESHOLD.key()
                                + " must be in [0, 1], got "
                                + threshold);
            }
        }
        // Only transactions time out; at-least-once sinks have none.
        if (!unparsable.contains(JobOptions.TRANSACTION_TIMEOUT.key())
                && !unparsable.contains(JobOptions.CHECKPOINT_INTERVAL.key())
                && !unparsable.contains(JobOptions.DELIVERY.key())
                && conf.get(JobOptions.DELIVERY) == DeliveryMode.EXACTLY_ONCE) {
            Duration txTimeout = conf.get(JobOptions.TRANSACTION_TIMEOUT);
            Duration checkpoint = conf.get(JobOptions.CHECKPOINT_INTERVAL);
            if (txTimeout.compareTo(checkpoint.multipliedBy(2)) < 0) {
                problems.add(
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
    }

    /**
     * Builds the job's three serde schemas as the job will, so that their sanity checks (the
     * Confluent schema ids the default wire format needs, above all) fail at load time. Each
     * builder reports its first problem; the input and the two output schemas are checked
     * independently.
     */
    private static List<String> serdeProblems(Configuration conf) {
        List<String> problems = new ArrayList<>();
        List<Runnable> builds =
                List.of(
                        () -> TextEventDeserializationSchema.builder().configure(conf).build(),
                        () ->
                                LabeledEventSerializationSchema.builder("labeled")
                                        .configure(conf)
                                        .build(),
                        () ->
                                DeadLetterSerializationSchema.builder("dead-letters")
                                        .configure(conf)
                                        .build());
        for (Runnable build : builds) {
            try {
                build.run();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** How to leave the default Confluent framing, whose schema ids a newcomer rarely has. */
    private static String wireFormatHint(Configuration conf) {
        String in = SerdeOptions.INPUT_FORMAT.key();
        String out = SerdeOptions.OUTPUT_FORMAT.key();
        return String.format(
                "%s is %s and %s is %s; %s needs the Schema Registry ids above. To use another wire"
                        + " format set %s (one of %s) and %s (one of %s), e.g. --%s %s --%s %s.",
                in,
                conf.get(SerdeOptions.INPUT_FORMAT),
                out,
                conf.get(SerdeOptions.OUTPUT_FORMAT),
                WireFormat.CONFLUENT,
                in,
                String.join(", ", names(WireFormat.values())),
                out,
                String.join(", ", names(WireFormat.CONFLUENT, WireFormat.SINGLE_OBJECT)),
                in,
                WireFormat.SINGLE_OBJECT,
                out,
                WireFormat.SINGLE_OBJECT);
    }

    private static List<String> names(WireFormat... formats) {
        return Arrays.stream(formats).map(Enum::name).toList();
    }

    /**
     * Kafka client properties: the {@link JobOptions#CLIENT_CONFIG} file, overlaid with {@code
     * kafka.properties.*}. See {@link KafkaClientConfig}.
     */
    public static Properties kafkaProperties(Configuration conf) {
        return KafkaClientConfig.properties(conf);
    }

    private static void require(Configuration conf, ConfigOption<String> o, List<String> problems) {
        if (conf.get(o) == null || conf.get(o).isBlank()) {
            problems.add(
                    "Missing required option '" + o.key() + "': " + PlainTextFormatter.describe(o));
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
