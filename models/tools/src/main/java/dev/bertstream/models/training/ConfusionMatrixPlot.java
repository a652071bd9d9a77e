package dev.bertstream.models.training;

import org.apache.flink.annotation.Internal;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders a confusion matrix as a PNG heat map (readable up to about 30 classes). */
@Internal
public final class ConfusionMatrixPlot {

    private ConfusionMatrixPlot() {}

    /**
     * Writes {@code metrics}' confusion matrix, row-normalised so rare classes are as visible as
     * common ones.
     */
    public static void write(ClassificationMetrics metrics, String title, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        int k = metrics.labels().size();
        int size = Math.max(500, 60 + 28 * k);
        HeatMapChart chart =
                new HeatMapChartBuilder()
                        .width(size + 150)
                        .height(size)
                        .title(title)
                        .xAxisTitle("predicted")
                        .yAxisTitle("gold")
                        .build();
        chart.getStyler().setShowValue(k <= 15);
        chart.getStyler().setPlotContentSize(1);
        chart.getStyler().setLegendVisible(true);
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            int support = 0;
            for (int c = 0; c < k; c++) {
                support += metrics.confusion()[r][c];
            }
            for (int c = 0; c < k; c++) {
                double share = support == 0 ? 0 : 100.0 * metrics.confusion()[r][c] / support;
                cells.add(new Number[] {c, k - 1 - r, Math.round(share)});
            }
        }
        List<String> reversed = new ArrayList<>(metrics.labels());
        java.util.Collections.reverse(reversed);
        chart.addSeries("% of gold row", metrics.labels(), reversed, cells);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
