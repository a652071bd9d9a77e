package dev.bertstream.models.training;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.annotation.Internal;

import java.io.PrintStream;

/**
 * Progress bars of long training work: count, speed, elapsed and ETA, and a short status message.
 */
@Internal
public final class TrainingProgress {

    /**
     * Wide enough for the bar and a status such as loss and examples/s, also when output is not a
     * terminal.
     */
    private static final int MAX_WIDTH = 150;

    private TrainingProgress() {}

    /**
     * A bar over {@code max} units of {@code unit} (e.g. " steps"; empty for plain counts) written
     * to {@code log}.
     */
    public static ProgressBar bar(PrintStream log, String task, long max, String unit) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(log, MAX_WIDTH))
                .showSpeed()
                .setUnit(unit, 1)
                .build();
    }
}
