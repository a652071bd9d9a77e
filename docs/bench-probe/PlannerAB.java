import dev.bertstream.models.tokenizer.*;
import dev.bertstream.models.inference.*;
import java.nio.file.*;
import java.util.*;
import dev.bertstream.models.bundle.*;
/**
 * Interleaved A/B of the batch planner's cost-based and greedy cuts on the chat mix (2048 texts, 4096-token
 * budget, the same texts as `bench model`), 3 rounds, after one warm-up pass each. Usage: java -cp jobs/target/bert-stream.jar
 * docs/bench-probe/PlannerAB.java BUNDLE_DIR
 */
public class PlannerAB {
  public static void main(String[] a) throws Exception {
    try (ModelBundle b = ModelBundle.load(Path.of(a[0]), SessionSettings.defaults())) {
      List<String> chat = dev.bertstream.app.bench.BenchTexts.chatMix(2048, 7);
      int[][] cfg = {{64, 32}, {64, 0}, {256, 32}, {256, 0}};
      BatchPredictor[] ps = new BatchPredictor[cfg.length];
      for (int i = 0; i < cfg.length; i++) { ps[i] = BatchPredictor.builder(b).maxSeqLength(128).maxBatchSize(cfg[i][0]).maxBatchTokens(4096).callCostTokens(cfg[i][1]).build(); ps[i].predict(chat); }
      for (int round = 0; round < 3; round++) for (int i = 0; i < cfg.length; i++) {
        long t0 = System.nanoTime(); var st = ps[i].predict(chat).stats(); double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("round %d batch %d callCost %d: %.1f seq/s, padding %.3f, %d calls, load %s%n", round, cfg[i][0], cfg[i][1], 2048 / sec, st.paddingEfficiency(), st.sessionCalls(), Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
      }
    }
  }
}
