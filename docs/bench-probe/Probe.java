import dev.bertstream.app.demo.ChatTraffic;
import dev.bertstream.models.tokenizer.*;
import dev.bertstream.models.inference.*;
import java.nio.file.*;
import java.util.*;
import org.tensorflow.*;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.*;
import org.tensorflow.types.*;

/**
 * Session-option probe for docs/BENCHMARKS.md: times fixed-shape session calls of a model bundle under one
 * TensorFlow ConfigProto variant. Run from the repository root after building the jar:
 *
 *   TF_CPP_MIN_LOG_LEVEL=2 java -cp jobs/target/bert-stream.jar docs/bench-probe/Probe.java BUNDLE_DIR VARIANT quick
 *
 * VARIANT is a comma-separated list of default, intra1, intra2, bf16, xla, nograppler, l0. Set the environment
 * variable TF_ENABLE_ONEDNN_OPTS=0 to run without oneDNN. Modes: quick (best of N calls at four shapes), cache
 * (3 passes over 3000 chat texts in micro-batches of 64), fixed (a shape grid, first vs best call), perrec.
 */
public class Probe {
  static boolean trace; static Session s; static String ids, mask, types; static List<String> outs = new ArrayList<>();
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    a = Arrays.copyOfRange(a, 1, a.length);
    String variant = a.length > 0 ? a[0] : "default";
    ConfigProto.Builder cp = ConfigProto.newBuilder().setInterOpParallelismThreads(1).setAllowSoftPlacement(true).putDeviceCount("GPU", 0);
    for (String v : variant.split(",")) {
      switch (v) {
        case "intra2" -> cp.setIntraOpParallelismThreads(2);
        case "intra1" -> cp.setIntraOpParallelismThreads(1);
        case "bf16" -> cp.getGraphOptionsBuilder().getRewriteOptionsBuilder().setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
        case "xla" -> cp.getGraphOptionsBuilder().getOptimizerOptionsBuilder().setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1);
        case "nograppler" -> cp.getGraphOptionsBuilder().getRewriteOptionsBuilder().setDisableMetaOptimizer(true);
        case "l0" -> cp.getGraphOptionsBuilder().getOptimizerOptionsBuilder().setOptLevel(OptimizerOptions.Level.L0);
        case "default" -> {}
        default -> throw new IllegalArgumentException(v);
      }
    }
    SavedModelBundle b = SavedModelBundle.loader(dir.resolve("saved_model").toString()).withTags("serve").withConfigProto(cp.build()).load();
    s = b.session();
    Signature sig = b.function("serving_default").signature();
    ids = sig.getInputs().get("input_ids").name; mask = sig.getInputs().get("attention_mask").name; types = sig.getInputs().get("token_type_ids").name;
    for (var e : sig.getOutputs().entrySet()) if (e.getKey().contains("prob")) outs.add(e.getValue().name);
    System.out.println("outputs " + outs);
    BertTokenizer tok = BertTokenizer.fromTokenizerJson(dir.resolve("tokenizer.json"), 128);
    ChatTraffic tr = new ChatTraffic(5);
    List<String> texts = new ArrayList<>(); for (int i = 0; i < 3000; i++) texts.add(tr.nextText());
    List<TokenizedText> enc = tok.encodeBatch(texts);
    long tot = 0; for (var t : enc) tot += t.length();
    System.out.printf("mean tokens %.1f%n", tot / 3000.0);
    String mode = a.length > 1 ? a[1] : "all";
    if (mode.contains("cache")) {
      BatchPlanner pl = new BatchPlanner(64, 4096, true);
      for (int pass = 0; pass < 3; pass++) {
        long t0 = System.nanoTime(); int n = 0;
        for (int i = 0; i < 3000; i += 64) {
          List<TokenizedText> sub = enc.subList(i, Math.min(3000, i + 64));
          int[] len = sub.stream().mapToInt(TokenizedText::length).toArray();
          for (int[] bt : pl.plan(len)) { run(sub, bt); n++; }
        }
        System.out.printf("pass %d: %d calls, %.1f texts/s%n", pass, n, 3000 / ((System.nanoTime() - t0) / 1e9));
      }
    }
    if (mode.contains("fixed")) {
      for (int w : new int[]{16, 32, 64, 128}) for (int rows : new int[]{1, 8, 32, 64}) {
        List<TokenizedText> sub = new ArrayList<>();
        for (int r = 0; r < rows; r++) { int[] x = new int[w]; Arrays.fill(x, 7592); sub.add(new TokenizedText(x, new int[w], false)); }
        int[] bt = new int[rows]; for (int r = 0; r < rows; r++) bt[r] = r;
        long t0 = System.nanoTime(); run(sub, bt); long first = System.nanoTime() - t0;
        long best = Long.MAX_VALUE; for (int k = 0; k < 5; k++) { t0 = System.nanoTime(); run(sub, bt); best = Math.min(best, System.nanoTime() - t0); }
        double fl = 6 * 2.0 * rows * (4.0 * w * 384 * 384 + 2.0 * w * 384 * 1536 + 2.0 * w * w * 384);
        System.out.printf("rows %3d width %3d: first %.2f ms, best %.2f ms, %.1f GFLOP/s%n", rows, w, first / 1e6, best / 1e6, fl / best);
      }
    }
    if (mode.contains("quick")) {
      for (int[] rw : new int[][]{{1, 2}, {1, 16}, {64, 32}, {16, 128}}) {
        int rows = rw[0], w = rw[1];
        List<TokenizedText> sub = new ArrayList<>();
        for (int r = 0; r < rows; r++) { int[] x = new int[w]; Arrays.fill(x, 7592); sub.add(new TokenizedText(x, new int[w], false)); }
        int[] bt = new int[rows]; for (int r = 0; r < rows; r++) bt[r] = r;
        run(sub, bt); run(sub, bt);
        int reps = rows * w < 100 ? 60 : 8;
        long best = Long.MAX_VALUE; for (int k = 0; k < reps; k++) { long t0 = System.nanoTime(); run(sub, bt); best = Math.min(best, System.nanoTime() - t0); }
        double fl = 6 * 2.0 * rows * (4.0 * w * 384 * 384 + 2.0 * w * 384 * 1536 + 2.0 * w * w * 384);
        System.out.printf("%s rows %3d width %3d: best %.2f ms, %.1f GFLOP/s%n", variant, rows, w, best / 1e6, fl / best);
      }
    }
    if (mode.contains("trace")) {
      // Per-op-type time of one session call from TensorFlow's step stats (RunOptions FULL_TRACE).
      for (int[] rw : new int[][]{{1, 2}, {1, 24}, {64, 24}}) {
        int rows = rw[0], w = rw[1];
        List<TokenizedText> sub = new ArrayList<>();
        for (int r = 0; r < rows; r++) { int[] x = new int[w]; Arrays.fill(x, 7592); sub.add(new TokenizedText(x, new int[w], false)); }
        int[] bt = new int[rows]; for (int r = 0; r < rows; r++) bt[r] = r;
        for (int k = 0; k < 3; k++) run(sub, bt);
        trace = true; Map<String, Long> byType = new TreeMap<>(); long wall = Long.MAX_VALUE; int nodes = 0;
        for (int k = 0; k < 5; k++) {
          long t0 = System.nanoTime(); RunMetadata md = run(sub, bt); long dt = System.nanoTime() - t0;
          if (dt < wall) {
            wall = dt; byType.clear(); nodes = 0;
            for (DeviceStepStats d : md.getStepStats().getDevStatsList()) for (NodeExecStats n : d.getNodeStatsList()) {
              String type = n.getTimelineLabel().contains("= ") ? n.getTimelineLabel().split("= ")[1].split("\\(")[0].trim() : n.getNodeName();
              byType.merge(type, n.getAllEndRelMicros(), Long::sum); nodes++;
            }
          }
        }
        trace = false;
        long total = byType.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("trace rows %d width %d: wall %.2f ms (traced), %d op executions, sum of op times %.2f ms%n", rows, w, wall / 1e6, nodes, total / 1e3);
        byType.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
            .forEach(e -> System.out.printf("   %-28s %7.2f ms  %4.1f%%%n", e.getKey(), e.getValue() / 1e3, 100.0 * e.getValue() / total));
      }
    }
    if (mode.contains("perrec")) {
      List<String> sub = texts.subList(0, 300);
      for (int pass = 0; pass < 2; pass++) {
        long tTok = 0, tRun = 0, t0 = System.nanoTime();
        for (String t : sub) {
          long x = System.nanoTime(); List<TokenizedText> e = tok.encodeBatch(List.of(t)); long y = System.nanoTime();
          run(e, new int[]{0}); tRun += System.nanoTime() - y; tTok += y - x;
        }
        long all = System.nanoTime() - t0;
        System.out.printf("per-record pass %d: %.1f texts/s, tokenize %.3f ms/text, run %.3f ms/text%n", pass, 300 / (all / 1e9), tTok / 3e8, tRun / 3e8);
      }
      // overhead of a minimal call: 1 row, width 2
      List<TokenizedText> tiny = List.of(new TokenizedText(new int[]{101, 102}, new int[2], false));
      for (int k = 0; k < 50; k++) run(tiny, new int[]{0});
      long t0 = System.nanoTime(); for (int k = 0; k < 500; k++) run(tiny, new int[]{0});
      System.out.printf("tiny call (1x2 tokens): %.3f ms%n", (System.nanoTime() - t0) / 5e8);
    }
    b.close();
  }
  static RunMetadata run(List<TokenizedText> enc, int[] batch) {
    int w = 0; for (int i : batch) w = Math.max(w, enc.get(i).length());
    int rows = batch.length; int[] id = new int[rows * w], m = new int[rows * w], ty = new int[rows * w];
    for (int r = 0; r < rows; r++) { var t = enc.get(batch[r]); System.arraycopy(t.inputIds(), 0, id, r * w, t.length()); Arrays.fill(m, r * w, r * w + t.length(), 1); }
    Shape sh = Shape.of(rows, w);
    try (TInt32 a = TInt32.tensorOf(sh, DataBuffers.of(id, true, false)); TInt32 b = TInt32.tensorOf(sh, DataBuffers.of(m, true, false)); TInt32 c = TInt32.tensorOf(sh, DataBuffers.of(ty, true, false))) {
      Session.Runner rn = s.runner().feed(ids, a).feed(mask, b).feed(types, c);
      outs.forEach(rn::fetch);
      if (trace) {
        rn.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
        try (Result r = rn.runAndFetchMetadata()) { return r.getMetadata().orElseThrow(); }
      }
      try (Result r = rn.run()) { float[] f = new float[rows * 8]; }
    }
    return null;
  }
}
