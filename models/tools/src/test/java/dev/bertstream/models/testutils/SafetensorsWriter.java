package dev.bertstream.models.testutils;

import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes {@code .safetensors} files, so importer tests can build real Hugging Face checkpoints. */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    /** Writes {@code tensors} with the given dtype ({@code F32}, {@code F16} or {@code BF16}). */
    public static void write(Path file, Map<String, WeightTensor> tensors, String dtype)
            throws IOException {
        int width = dtype.equals("F32") ? 4 : 2;
        ObjectMapper m = new ObjectMapper();
        ObjectNode header = m.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, WeightTensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype);
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = (long) e.getValue().data().length * width;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = m.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(
                    ByteBuffer.allocate(8)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(json.length)
                            .array());
            out.write(json);
            for (WeightTensor t : tensors.values()) {
                ByteBuffer buf =
                        ByteBuffer.allocate(t.data().length * width).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : t.data()) {
                    switch (dtype) {
                        case "F32" -> buf.putFloat(f);
                        case "BF16" -> buf.putShort((short) (Float.floatToIntBits(f) >>> 16));
                        default -> buf.putShort(floatToHalf(f));
                    }
                }
                out.write(buf.array());
            }
        }
    }

    /** Round-to-nearest float to IEEE half, for normal-range values (enough for test weights). */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (exp <= 0) {
            return (short) sign;
        }
        if (exp >= 31) {
            return (short) (sign | 0x7c00);
        }
        int half = sign | (exp << 10) | (mant >>> 13);
        if ((mant & 0x1000) != 0) {
            half++;
        }
        return (short) half;
    }
}
