package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.tokenizer.Truncation;

import org.apache.flink.annotation.Internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings every bundle trainer shares: the encoder bundle to start from, the tasks, the name
 * and version written into the new bundle, the max tokens per text and how longer texts are
 * truncated, and where progress goes. Subclasses add their own options and the training itself; the
 * setters return the subclass so calls chain.
 *
 * @param <T> the concrete trainer
 */
@Internal
public abstract class BundleTrainer<T extends BundleTrainer<T>> {

    protected final Path encoderBundle;
    protected final List<TaskData> tasks = new ArrayList<>();
    protected String name = "bert-stream";
    protected String version = "1";
    protected int maxLen;
    protected Truncation truncation;
    protected PrintStream log = System.err;

    protected BundleTrainer(Path encoderBundle) {
        this.encoderBundle = Objects.requireNonNull(encoderBundle);
    }

    /** This trainer, as its own type. */
    protected abstract T self();

    /** Adds a task: its name, training file and optional dev file. */
    public T task(TaskData task) {
        tasks.add(Objects.requireNonNull(task));
        return self();
    }

    /** Model name written into the bundle (and carried on every labeled event). */
    public T name(String name) {
        this.name = Objects.requireNonNull(name);
        return self();
    }

    /** Model version written into the bundle. */
    public T version(String version) {
        this.version = Objects.requireNonNull(version);
        return self();
    }

    /** Max tokens per text (default: the encoder bundle's); longer texts are truncated. */
    public T maxLen(int maxLen) {
        this.maxLen = maxLen;
        return self();
    }

    /**
     * Which tokens of a longer text are kept, in training and, through the bundle, in serving
     * (default: the encoder bundle's).
     */
    public T truncation(Truncation truncation) {
        this.truncation = Objects.requireNonNull(truncation);
        return self();
    }

    /** The strategy to train and write with: the one set, else the encoder bundle's. */
    protected Truncation truncationOr(BundleManifest encoderManifest) {
        return truncation != null ? truncation : encoderManifest.truncationStrategy();
    }

    /** Where progress and summaries go (default stderr). */
    public T log(PrintStream log) {
        this.log = Objects.requireNonNull(log);
        return self();
    }

    /** Fails fast when there is nothing to train. */
    protected void requireTasks() {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("No --task given: nothing to train");
        }
    }
}
