package dev.bertstream.models.imports;

import dev.bertstream.models.weights.WeightTensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file (8-byte little-endian header length, JSON header, raw data)
 * into float32 tensors. F32, F16 and BF16 are supported; anything else is refused with the tensor's
 * name.
 */
final class SafetensorsReader {

    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsReader() {}

    /** All tensors of the file, by name. */
    public static Map<String, WeightTensor> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(
                        file + " is not a safetensors file: shorter than its 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long headerLen = len.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
                throw new IOException(
                        file
                                + " is not a safetensors file: header length "
                                + headerLen
                                + " does not fit a file of "
                                + size
                                + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            ch.read(header, 8);
            JsonNode root =
                    new ObjectMapper().readTree(new String(header.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            Map<String, WeightTensor> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(
                        e.getKey(),
                        readTensor(ch, file, e.getKey(), e.getValue(), dataStart, size));
            }
            return out;
        }
    }

    private static WeightTensor readTensor(
            FileChannel ch, Path file, String name, JsonNode info, long dataStart, long size)
            throws IOException {
        String dtype = info.path("dtype").asText();
        int width =
                switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    default ->
                            throw new IOException(
                                    file
                                            + ": tensor '"
                                            + name
                                            + "' has dtype "
                                            + dtype
                                            + "; supported are F32, F16, BF16");
                };
        JsonNode shapeNode = info.path("shape");
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            count *= shape[i];
        }
        long begin = info.path("data_offsets").path(0).asLong(-1);
        long end = info.path("data_offsets").path(1).asLong(-1);
        if (begin < 0 || end < begin || dataStart + end > size || end - begin != count * width) {
            throw new IOException(
                    file
                            + ": tensor '"
                            + name
                            + "' has data offsets ["
                            + begin
                            + ", "
                            + end
                            + "] inconsistent with its shape or beyond the end of the file (truncated?)");
        }
        if (count > Integer.MAX_VALUE) {
            throw new IOException(file + ": tensor '" + name + "' is too large");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(buf, dataStart + begin);
        buf.flip();
        float[] data = new float[(int) count];
        for (int i = 0; i < data.length; i++) {
            data[i] =
                    switch (dtype) {
                        case "F32" -> buf.getFloat();
                        case "BF16" -> Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                        default -> halfToFloat(buf.getShort());
                    };
        }
        return new WeightTensor(shape, data);
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
