package dev.bertstream.app.cli;

import dev.bertstream.events.ModelRollout;
import dev.bertstream.serde.ModelRolloutJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code bert-stream rollout}: publishes a model roll-out to the job's control topic, so the
 * running job switches to the bundle at its next checkpoint (and rolls back when given the old
 * one).
 */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description =
                "Publish a model bundle to the job's control topic (job.control-topic): the running"
                        + " job loads it beside the serving model and switches at its next"
                        + " checkpoint. Publish the previous bundle to roll back. For a local"
                        + " bundle the version and sha256 are read from its bundle.json.")
final class RolloutCommand implements Callable<Integer> {

    @Mixin KafkaClientOptions kafka;

    @Option(names = "--topic", required = true, description = "The job's job.control-topic.")
    String topic;

    @Option(
            names = "--bundle",
            required = true,
            description =
                    "Bundle path or URI, as the TaskManagers reach it (as inference.model takes"
                            + " it).")
    String bundle;

    @Option(
            names = "--version",
            description =
                    "Version bundle.json declares; read from it when the bundle is a local"
                            + " directory.")
    String version;

    @Option(
            names = "--sha256",
            description = "sha256 of bundle.json; computed when the bundle is a local directory.")
    String sha256;

    @Override
    public Integer call() throws Exception {
        ModelRollout rollout = rolloutOf(bundle, version, sha256);
        String json = ModelRolloutJson.format(rollout);
        Properties props = kafka.properties();
        props.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, json.getBytes(StandardCharsets.UTF_8))).get();
        }
        System.out.println(json);
        System.err.printf(
                "Published version %s to %s; the job switches at its next checkpoint (watch"
                        + " modelRolloutsApplied / modelRolloutsRejected)%n",
                rollout.getVersion(), topic);
        return 0;
    }

    /**
     * The roll-out of {@code bundle}: for a local directory, its bundle.json's version (which a
     * given {@code version} must equal) and sha256; otherwise both must be given.
     */
    static ModelRollout rolloutOf(String bundle, String version, String sha256) throws IOException {
        Path manifest = Path.of(bundle).resolve("bundle.json");
        if (!bundle.contains("://") && Files.isRegularFile(manifest)) {
            byte[] bytes = Files.readAllBytes(manifest);
            JsonNode declared = new ObjectMapper().readTree(bytes).get("version");
            String actual = declared == null ? null : declared.asText();
            if (version != null && !version.equals(actual)) {
                throw new IllegalArgumentException(
                        manifest + " declares version " + actual + ", not " + version);
            }
            String digest = sha256(bytes);
            if (sha256 != null && !sha256.equalsIgnoreCase(digest)) {
                throw new IllegalArgumentException(
                        manifest + " has sha256 " + digest + ", not " + sha256);
            }
            return validated(bundle, actual, digest);
        }
        if (version == null || sha256 == null) {
            throw new IllegalArgumentException(
                    "--version and --sha256 are required for a bundle that is not a local"
                            + " directory with a bundle.json: "
                            + bundle);
        }
        return validated(bundle, version, sha256);
    }

    /** Through the control topic's own parser, so nothing is published that the job refuses. */
    private static ModelRollout validated(String bundle, String version, String sha256) {
        ModelRollout r =
                ModelRollout.newBuilder()
                        .setBundleUri(bundle)
                        .setVersion(version == null ? "" : version)
                        .setSha256(sha256)
                        .build();
        return ModelRolloutJson.parse(ModelRolloutJson.format(r).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
