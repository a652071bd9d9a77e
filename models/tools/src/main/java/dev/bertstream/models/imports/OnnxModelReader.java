package dev.bertstream.models.imports;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal reader of the ONNX protobuf wire format: just the graph's nodes, initializers and
 * constant tensors, which is all an importer of BERT weights needs. Field numbers follow onnx.proto
 * (ModelProto.graph = 7, GraphProto.node = 1 / initializer = 5, NodeProto.input = 1 / output = 2 /
 * op_type = 4 / attribute = 5, TensorProto.dims = 1 / data_type = 2 / float_data = 4 / int64_data =
 * 7 / name = 8 / raw_data = 9). Parsing by hand avoids generating and shipping the ONNX protobuf
 * classes for a read-only use.
 */
final class OnnxModelReader {

    /** ONNX tensor element types we read. */
    static final int FLOAT = 1;

    static final int INT32 = 6;
    static final int INT64 = 7;

    /** A tensor: an initializer or a Constant node's value. */
    record OnnxTensor(String name, long[] dims, int dataType, float[] floats, long[] longs) {
        long size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** A graph node. */
    record OnnxNode(
            String name,
            String opType,
            List<String> inputs,
            List<String> outputs,
            OnnxTensor valueAttr) {}

    /** The parts of a graph an importer needs. */
    record OnnxGraph(
            List<OnnxNode> nodes,
            Map<String, OnnxTensor> initializers,
            List<String> inputs,
            List<String> outputs) {}

    private OnnxModelReader() {}

    static OnnxGraph read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE) {
            throw new IOException(
                    file + " is larger than 2 GB; external-data ONNX files are not supported");
        }
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit(Integer.MAX_VALUE);
            OnnxGraph graph = null;
            while (!cis.isAtEnd()) {
                int tag = cis.readTag();
                if (WireFormat.getTagFieldNumber(tag) == 7
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    graph = readGraph(CodedInputStream.newInstance(cis.readByteBuffer()));
                } else {
                    cis.skipField(tag);
                }
            }
            if (graph == null) {
                throw new IOException(file + " is not an ONNX model: it has no graph");
            }
            return graph;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException(file + " is not a readable ONNX model: " + e.getMessage(), e);
        }
    }

    private static OnnxGraph readGraph(CodedInputStream in) throws IOException {
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> inits = new HashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(readNode(sub(in)));
                case 5 -> {
                    OnnxTensor t = readTensor(sub(in));
                    inits.put(t.name(), t);
                }
                case 11 -> inputs.add(readValueInfoName(sub(in)));
                case 12 -> outputs.add(readValueInfoName(sub(in)));
                default -> in.skipField(tag);
            }
        }
        return new OnnxGraph(nodes, inits, inputs, outputs);
    }

    private static OnnxNode readNode(CodedInputStream in) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        OnnxTensor value = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(in.readStringRequireUtf8());
                case 2 -> outputs.add(in.readStringRequireUtf8());
                case 3 -> name = in.readStringRequireUtf8();
                case 4 -> op = in.readStringRequireUtf8();
                case 5 -> {
                    OnnxTensor t = readAttributeTensor(sub(in));
                    value = t != null ? t : value;
                }
                default -> in.skipField(tag);
            }
        }
        return new OnnxNode(name, op, inputs, outputs, value);
    }

    /**
     * The tensor of an attribute named {@code value} (a Constant node's payload), else {@code
     * null}.
     */
    private static OnnxTensor readAttributeTensor(CodedInputStream in) throws IOException {
        String name = "";
        OnnxTensor t = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readStringRequireUtf8();
                case 5 -> t = readTensor(sub(in));
                default -> in.skipField(tag);
            }
        }
        return "value".equals(name) ? t : null;
    }

    private static String readValueInfoName(CodedInputStream in) throws IOException {
        String name = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                name = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        return name;
    }

    private static OnnxTensor readTensor(CodedInputStream in) throws IOException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        List<Float> floats = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 1 -> readLongs(in, packed, dims);
                case 2 -> dataType = in.readInt32();
                case 4 -> {
                    if (packed) {
                        int limit = in.pushLimit(in.readRawVarint32());
                        while (in.getBytesUntilLimit() > 0) {
                            floats.add(in.readFloat());
                        }
                        in.popLimit(limit);
                    } else {
                        floats.add(in.readFloat());
                    }
                }
                case 5, 7 -> readLongs(in, packed, longs);
                case 8 -> name = in.readStringRequireUtf8();
                case 9 -> raw = in.readByteBuffer();
                case 14 -> {
                    if (in.readInt32() == 1) {
                        throw new IOException(
                                "Tensor '" + name + "' stores its data externally; not supported");
                    }
                }
                default -> in.skipField(tag);
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        float[] f = null;
        long[] l = null;
        if (dataType == FLOAT) {
            f = raw != null ? rawFloats(raw) : toFloats(floats);
        } else if (dataType == INT64 || dataType == INT32) {
            l =
                    raw != null
                            ? rawInts(raw, dataType)
                            : longs.stream().mapToLong(Long::longValue).toArray();
        }
        return new OnnxTensor(name, d, dataType, f, l);
    }

    private static void readLongs(CodedInputStream in, boolean packed, List<Long> out)
            throws IOException {
        if (packed) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                out.add(in.readInt64());
            }
            in.popLimit(limit);
        } else {
            out.add(in.readInt64());
        }
    }

    private static float[] rawFloats(ByteBuffer raw) {
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    private static long[] rawInts(ByteBuffer raw, int dataType) {
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[b.remaining() / (dataType == INT64 ? 8 : 4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = dataType == INT64 ? b.getLong() : b.getInt();
        }
        return out;
    }

    private static float[] toFloats(List<Float> list) {
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = list.get(i);
        }
        return f;
    }

    private static CodedInputStream sub(CodedInputStream in) throws IOException {
        CodedInputStream s = CodedInputStream.newInstance(in.readByteBuffer());
        s.setSizeLimit(Integer.MAX_VALUE);
        return s;
    }
}
