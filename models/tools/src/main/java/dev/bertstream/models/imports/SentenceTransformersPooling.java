package dev.bertstream.models.imports;

import dev.bertstream.models.graph.Pooling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the pooling a sentence-transformers model directory was trained with: the {@code Pooling}
 * module listed in {@code modules.json} (usually {@code 1_Pooling/config.json}), so a bge/gte
 * checkpoint gets CLS pooling instead of the default mean.
 */
final class SentenceTransformersPooling {

    /** The pooling declared, or {@code null}, and warnings about modules we do not apply. */
    record Result(Pooling pooling, List<String> warnings) {}

    private static final String POOLING_MODULE = "sentence_transformers.models.Pooling";

    private SentenceTransformersPooling() {}

    static Result read(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> warnings = new ArrayList<>();
        Path poolingDir = dir.resolve("1_Pooling");
        Path modules = dir.resolve("modules.json");
        if (Files.isRegularFile(modules)) {
            for (JsonNode m : mapper.readTree(modules.toFile())) {
                String type = m.path("type").asText();
                String path = m.path("path").asText();
                if (type.equals(POOLING_MODULE)) {
                    poolingDir = dir.resolve(path);
                } else if (!type.endsWith(".Transformer")) {
                    warnings.add(
                            "sentence-transformers module "
                                    + type
                                    + (path.isEmpty() ? "" : " (" + path + ")")
                                    + " is not applied: the bundle's embedding stops at pooling");
                }
            }
        }
        Path file = poolingDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return new Result(null, warnings);
        }
        JsonNode c = mapper.readTree(file.toFile());
        List<Pooling> modes = new ArrayList<>();
        if (c.path("pooling_mode_cls_token").asBoolean(false)) {
            modes.add(Pooling.CLS);
        }
        if (c.path("pooling_mode_mean_tokens").asBoolean(false)) {
            modes.add(Pooling.MEAN);
        }
        if (c.path("pooling_mode_max_tokens").asBoolean(false)) {
            modes.add(Pooling.MAX);
        }
        for (String unsupported :
                new String[] {
                    "pooling_mode_mean_sqrt_len_tokens",
                    "pooling_mode_weightedmean_tokens",
                    "pooling_mode_lasttoken"
                }) {
            if (c.path(unsupported).asBoolean(false)) {
                throw new IOException(file + ": " + unsupported + " is not supported");
            }
        }
        if (modes.size() != 1) {
            throw new IOException(
                    file
                            + " must enable exactly one of pooling_mode_cls_token,"
                            + " pooling_mode_mean_tokens, pooling_mode_max_tokens; got "
                            + modes);
        }
        return new Result(modes.get(0), warnings);
    }
}
