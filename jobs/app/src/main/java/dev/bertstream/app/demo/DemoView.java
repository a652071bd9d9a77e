package dev.bertstream.app.demo;

import java.io.PrintStream;
import java.util.Map;

/**
 * The live terminal view of the demo, redrawn in place each second; without a terminal it is
 * printed once, at the end, and {@link DemoStatusLine} reports progress meanwhile.
 */
final class DemoView {

    private final PrintStream out;
    private final boolean ansi;
    private long lastProduced;
    private long lastLabeled;
    private long lastAt = System.nanoTime();

    DemoView(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    void render(RoundTripStats s, long elapsedSeconds, String webUi, String batchLine) {
        long now = System.nanoTime();
        double dt = Math.max(1e-3, (now - lastAt) / 1e9);
        long produced = s.produced.get();
        long labeled = s.labeled.get();
        double inRate = (produced - lastProduced) / dt;
        double outRate = (labeled - lastLabeled) / dt;
        lastProduced = produced;
        lastLabeled = labeled;
        lastAt = now;
        StringBuilder sb = new StringBuilder();
        if (ansi) {
            sb.append("\u001b[H\u001b[2J");
        }
        sb.append(String.format("bert-stream demo  %4ds   Flink UI %s%n", elapsedSeconds, webUi));
        sb.append(String.format("events/s   in %7.1f   out %7.1f%n", inRate, outRate));
        sb.append(
                String.format(
                        "totals     in %7d   labeled %7d   moderation %5d   dead letters %5d (malformed sent %d)%n",
                        produced,
                        labeled,
                        s.moderated.get(),
                        s.deadLetters.get(),
                        s.producedMalformed.get()));
        sb.append(
                String.format(
                        "latency    p50 %5d ms   p99 %5d ms  (created -> read back read_committed)%n",
                        s.latencyPercentile(0.5), s.latencyPercentile(0.99)));
        // Split the latency: the job's share, and (exactly-once) the wait for the checkpoint
        // commit.
        sb.append(
                String.format(
                        "processed  p50 %5d ms   p99 %5d ms  (created -> labeled by the job, before"
                                + " its transaction commits)%n",
                        s.processingLatencyPercentile(0.5), s.processingLatencyPercentile(0.99)));
        sb.append(batchLine).append(System.lineSeparator());
        sb.append("models     ").append(s.modelsLine()).append(System.lineSeparator());
        sb.append("labels    ");
        int col = 0;
        for (Map.Entry<String, Long> e : s.labelCounts().entrySet()) {
            sb.append(String.format(" %-28s", e.getKey() + " " + e.getValue()));
            if (++col % 3 == 0) {
                sb.append(System.lineSeparator()).append("          ");
            }
        }
        sb.append(System.lineSeparator()).append("recent").append(System.lineSeparator());
        for (String ex : s.examples()) {
            sb.append("  ").append(ex).append(System.lineSeparator());
        }
        out.print(sb);
        out.flush();
    }
}
