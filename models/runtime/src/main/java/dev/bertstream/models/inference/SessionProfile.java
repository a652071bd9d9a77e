package dev.bertstream.models.inference;

import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.graph.SignatureNames;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TInt32;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One traced session call of a bundle on a synthetic {@code [rows, width]} batch: the graph
 * TensorFlow actually ran (after grappler and the oneDNN rewrite, from the partition graphs) and
 * where the time went, op type by op type (step stats, {@code FULL_TRACE}).
 *
 * <pre>{@code
 * SessionProfile p = SessionProfile.trace(bundle, 1, 2);
 * int fused = p.opCount("_FusedMatMul") + p.opCount("_MklNativeFusedMatMul");
 * }</pre>
 *
 * @param opCounts nodes per op type in the executed graph
 * @param microsByOp summed kernel time per op type, largest first
 * @param nodesRun nodes the executor ran
 */
@PublicEvolving
public record SessionProfile(
        Map<String, Integer> opCounts, Map<String, Long> microsByOp, int nodesRun) {

    private static final Pattern OP_IN_LABEL = Pattern.compile("= ([A-Za-z0-9_]+)\\(");

    /**
     * Runs one traced call on token ids 1000.. with a full attention mask; fetches the embedding.
     */
    public static SessionProfile trace(ModelBundle bundle, int rows, int width) {
        int[] ids = new int[rows * width];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1000 + i % 1000;
        }
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        Shape shape = Shape.of(rows, width);
        RunOptions options =
                RunOptions.newBuilder()
                        .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                        .setOutputPartitionGraphs(true)
                        .build();
        try (TInt32 tIds = TInt32.tensorOf(shape, DataBuffers.of(ids, true, false));
                TInt32 tMask = TInt32.tensorOf(shape, DataBuffers.of(mask, true, false));
                TInt32 tTypes =
                        TInt32.tensorOf(shape, DataBuffers.of(new int[ids.length], true, false));
                Result result =
                        bundle.session()
                                .runner()
                                .feed(bundle.tensorName(SignatureNames.INPUT_IDS), tIds)
                                .feed(bundle.tensorName(SignatureNames.ATTENTION_MASK), tMask)
                                .feed(bundle.tensorName(SignatureNames.TOKEN_TYPE_IDS), tTypes)
                                .fetch(bundle.tensorName(SignatureNames.EMBEDDING))
                                .setOptions(options)
                                .runAndFetchMetadata()) {
            return of(result.getMetadata().orElseThrow());
        }
    }

    static SessionProfile of(RunMetadata md) {
        Map<String, Integer> counts = new TreeMap<>();
        for (GraphDef g : md.getPartitionGraphsList()) {
            for (NodeDef n : g.getNodeList()) {
                counts.merge(n.getOp(), 1, Integer::sum);
            }
        }
        Map<String, Long> micros = new TreeMap<>();
        int nodes = 0;
        for (DeviceStepStats d : md.getStepStats().getDevStatsList()) {
            for (NodeExecStats s : d.getNodeStatsList()) {
                Matcher m = OP_IN_LABEL.matcher(s.getTimelineLabel());
                String op = m.find() ? m.group(1) : s.getNodeName();
                micros.merge(op, s.getAllEndRelMicros(), Long::sum);
                nodes++;
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        micros.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new SessionProfile(counts, sorted, nodes);
    }

    /** Nodes of {@code op} in the executed graph (0 when none). */
    public int opCount(String op) {
        return opCounts.getOrDefault(op, 0);
    }

    /** Fused matmuls of either kernel library ({@code _FusedMatMul}, oneDNN's native one). */
    public int fusedMatMuls() {
        return opCount("_FusedMatMul")
                + opCount("_MklFusedMatMul")
                + opCount("_MklNativeFusedMatMul");
    }

    /** Matmuls left unfused ({@code MatMul}, oneDNN's {@code _MklMatMul}). */
    public int plainMatMuls() {
        return opCount("MatMul") + opCount("_MklMatMul") + opCount("_MklNativeMatMul");
    }

    /** The {@code n} most expensive op types as {@code op µs, ...}. */
    public String top(int n) {
        StringBuilder sb = new StringBuilder();
        microsByOp.entrySet().stream()
                .limit(n)
                .forEach(
                        e ->
                                sb.append(sb.length() == 0 ? "" : ", ")
                                        .append(e.getKey())
                                        .append(' ')
                                        .append(e.getValue())
                                        .append(" µs"));
        return sb.toString();
    }
}
