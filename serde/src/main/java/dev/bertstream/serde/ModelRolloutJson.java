package dev.bertstream.serde;

import dev.bertstream.events.ModelRollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * The control topic's wire format of a {@link ModelRollout}: one JSON object, so that an operator
 * can publish a roll-out with any Kafka producer.
 *
 * <pre>{@code
 * {"bundle_uri": "s3://models/chat/2", "version": "2", "sha256": "9f86d0...(64 hex)"}
 * }</pre>
 */
@PublicEvolving
public final class ModelRolloutJson {

    static final String BUNDLE_URI = "bundle_uri";
    static final String VERSION = "version";
    static final String SHA256 = "sha256";
    private static final Set<String> FIELDS = Set.of(BUNDLE_URI, VERSION, SHA256);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelRolloutJson() {}

    /**
     * The roll-out {@code json} describes.
     *
     * @throws IllegalArgumentException naming the missing, unknown or malformed field
     */
    public static ModelRollout parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            String why =
                    e instanceof JsonProcessingException j
                            ? j.getOriginalMessage()
                            : e.getMessage();
            throw new IllegalArgumentException("not JSON: " + why, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "a roll-out is a JSON object with "
                            + BUNDLE_URI
                            + ", "
                            + VERSION
                            + ", "
                            + SHA256);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown field '" + name + "'; a roll-out has " + FIELDS);
            }
        }
        String sha256 = text(root, SHA256).toLowerCase(Locale.ROOT);
        if (sha256.length() != 64 || !sha256.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException(
                    SHA256 + " is bundle.json's sha256, 64 hex characters; got '" + sha256 + "'");
        }
        return ModelRollout.newBuilder()
                .setBundleUri(text(root, BUNDLE_URI))
                .setVersion(text(root, VERSION))
                .setSha256(sha256)
                .build();
    }

    /** The JSON object of {@code rollout}, as {@link #parse} reads it. */
    public static String format(ModelRollout rollout) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put(BUNDLE_URI, rollout.getBundleUri());
        node.put(VERSION, rollout.getVersion());
        node.put(SHA256, rollout.getSha256());
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-empty string");
        }
        return value.asText().strip();
    }
}
