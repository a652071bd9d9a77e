package dev.bertstream.app.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** PNG plots of benchmark results. */
final class BenchPlots {

    private BenchPlots() {}

    /** Chat-mix sequences/s against batch size, grouped and ungrouped, with the peers as points. */
    static void throughputByBatchSize(List<BenchResult> sweep, List<BenchResult> peers, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart =
                new XYChartBuilder()
                        .width(900)
                        .height(560)
                        .title("all-MiniLM-L6-v2, chat mix, 2 vCPU")
                        .xAxisTitle("batch size (texts per session call)")
                        .yAxisTitle("texts / s")
                        .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (boolean grouped : new boolean[] {true, false}) {
            List<BenchResult> series =
                    sweep.stream()
                            .filter(
                                    r ->
                                            r.workload().equals("chat-mix")
                                                    && r.engine().equals("tensorflow")
                                                    && r.grouped() == grouped)
                            .toList();
            if (!series.isEmpty()) {
                chart.addSeries(
                        "tensorflow"
                                + (grouped
                                        ? ", length-grouped, 4096-token budget"
                                        : ", arrival order"),
                        series.stream().mapToDouble(BenchResult::batchSize).toArray(),
                        series.stream().mapToDouble(BenchResult::sequencesPerSecond).toArray());
            }
        }
        for (BenchResult p : peers) {
            if (p.workload().equals("chat-mix") && !(p.engine().equals("tensorflow"))) {
                XYSeries s =
                        chart.addSeries(
                                p.engine() + " b" + p.batchSize(),
                                new double[] {p.batchSize()},
                                new double[] {p.sequencesPerSecond()});
                s.setMarker(SeriesMarkers.DIAMOND);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
