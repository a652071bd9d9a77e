import dev.bertstream.models.tokenizer.*;
import dev.bertstream.models.inference.*;
import java.nio.file.*;
import java.util.*;
import dev.bertstream.models.bundle.*;
/**
 * Interleaved A/B of the batch planner's cost-based and greedy cuts on the chat mix (2048 texts, 4096-token
 * budget), 3 rounds, after one warm-up pass each. Usage: java -cp jobs/target/bert-stream.jar
 * docs/bench-probe/PlannerAB.java BUNDLE_DIR
 */
public class PlannerAB {
    private static final String[] PHRASES = {
        "hi", "thanks", "where is my order", "my card was charged twice", "can I talk to a human",
        "the app crashes when I open settings", "I want to cancel my subscription", "this is great, love it",
        "still waiting for a refund after two weeks", "password reset email never arrived",
        "how do I change the delivery address", "you people are useless", "ok", "lol that's funny",
        "is there a discount for students", "my package says delivered but it is not here",
        "please close my account and delete my data", "the new update drained my battery overnight"};
    static List<String> chatMix(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int phrases = u < 0.6 ? 1 : u < 0.9 ? 2 + r.nextInt(4) : 10 + r.nextInt(31);
            StringBuilder sb = new StringBuilder();
            for (int p = 0; p < phrases; p++) sb.append(PHRASES[r.nextInt(PHRASES.length)]).append(r.nextInt(4) == 0 ? ". " : " ");
            out.add(sb.toString().trim());
        }
        return out;
    }
  public static void main(String[] a) throws Exception {
    try (ModelBundle b = ModelBundle.load(Path.of(a[0]), SessionSettings.defaults())) {
      List<String> chat = chatMix(2048, 7);
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
