package dev.bertstream.models.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tiny random checkpoint with the outputs a PyTorch reference computed for it, written by {@code
 * src/test/scripts/make_parity_fixtures.py} into {@code src/test/resources/parity/<arch>/}.
 *
 * @param dir the checkpoint directory (config.json, model.safetensors, vocab.txt)
 * @param rows texts in the batch
 * @param width padded tokens per text
 * @param inputIds flattened {@code [rows × width]}
 * @param typeIds flattened {@code [rows × width]}
 * @param mask flattened {@code [rows × width]}
 * @param lastHiddenState flattened {@code [rows × width × hidden]}
 * @param logits flattened {@code [rows × labels]}, or {@code null} for a bare encoder
 */
public record ParityFixture(
        Path dir,
        int rows,
        int width,
        int[] inputIds,
        int[] typeIds,
        int[] mask,
        float[] lastHiddenState,
        float[] logits) {

    /** Where the generated fixtures live, relative to the module directory. */
    public static final Path ROOT = Path.of("src", "test", "resources", "parity");

    /** Reads the fixture of one architecture, e.g. {@code roberta}. */
    public static ParityFixture read(String arch) throws IOException {
        Path dir = ROOT.resolve(arch);
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference.json").toFile());
        JsonNode ids = ref.path("input_ids");
        int rows = ids.size();
        int width = ids.get(0).size();
        return new ParityFixture(
                dir,
                rows,
                width,
                ints(ids, rows, width),
                ints(ref.path("token_type_ids"), rows, width),
                ints(ref.path("attention_mask"), rows, width),
                floats(ref.path("last_hidden_state")),
                ref.has("logits") ? floats(ref.path("logits")) : null);
    }

    private static int[] ints(JsonNode matrix, int rows, int width) {
        int[] out = new int[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                out[r * width + c] = matrix.get(r).get(c).asInt();
            }
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
