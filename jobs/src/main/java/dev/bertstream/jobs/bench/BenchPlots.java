package dev.bertstream.jobs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG plots of benchmark results. */
final class BenchPlots {

    private BenchPlots() {}

    /** Chat-mix sequences/s against batch size, grouped and ungrouped, with the peers as points. */
    static void throughputByBatchSize(List<BenchResult> results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title("all-MiniLM-L6-v2, chat mix")
                .xAxisTitle("batch size (texts per session call)").yAxisTitle("texts / s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (String engine : new String[] {"tensorflow", "onnxruntime", "per-record"}) {
            for (boolean grouped : new boolean[] {true, false}) {
                List<BenchResult> series = results.stream().filter(r -> r.workload().equals("chat-mix")
                        && r.engine().equals(engine) && r.grouped() == grouped).toList();
                if (series.isEmpty()) {
                    continue;
                }
                chart.addSeries(engine + (grouped ? ", length-grouped" : ""),
                        series.stream().mapToDouble(BenchResult::batchSize).toArray(),
                        series.stream().mapToDouble(BenchResult::sequencesPerSecond).toArray());
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
