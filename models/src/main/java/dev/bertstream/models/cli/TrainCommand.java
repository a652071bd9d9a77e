package dev.bertstream.models.cli;

import dev.bertstream.models.training.FrozenHeadTrainer;
import dev.bertstream.models.training.HeadTrainingOptions;
import dev.bertstream.models.training.TaskData;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code models train}: trains task heads on a frozen encoder into one bundle. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one classification head per task on a shared encoder and write them as one bundle. "
                + "Files are TSV (text<TAB>label), CSV (text,label) or JSONL ({\"text\":..,\"label\":..}). "
                + "Label 'oos' marks out-of-scope examples: they calibrate an abstain threshold on dev.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--encoder", required = true, paramLabel = "DIR", description = "Bundle whose encoder to use.")
    Path encoder;

    @Option(names = "--task", required = true, paramLabel = "NAME=TRAIN[,DEV]", description = "A task and its data; repeat.")
    List<String> tasks;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Bundle directory to write.")
    Path out;

    @Option(names = "--name", defaultValue = "bert-stream", description = "Model name. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(names = "--fine-tune", description = "Fine-tune the encoder too (not available yet: fails with a message).")
    boolean fineTune;

    @Option(names = "--epochs", defaultValue = "60", description = "Max epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--lr", defaultValue = "5e-3", description = "Learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--max-len", defaultValue = "0", description = "Max tokens per text (0: the encoder bundle's).")
    int maxLen;

    @Option(names = "--seed", defaultValue = "42", description = "Seed; the same seed gives the same model. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--no-class-weights", description = "Do not weight classes by inverse frequency.")
    boolean noClassWeights;

    @Override
    public Integer call() throws Exception {
        if (fineTune) {
            throw new UnsupportedOperationException("--fine-tune is not implemented yet; train frozen-encoder heads "
                    + "by leaving it out");
        }
        HeadTrainingOptions defaults = HeadTrainingOptions.defaults();
        FrozenHeadTrainer trainer = FrozenHeadTrainer.builder(encoder).name(name).version(version).maxLen(maxLen)
                .options(new HeadTrainingOptions(epochs, lr, defaults.weightDecay(), defaults.batchSize(),
                        defaults.patience(), seed, !noClassWeights));
        tasks.stream().map(TaskData::parse).forEach(trainer::task);
        long start = System.nanoTime();
        trainer.train(out);
        System.out.printf("Wrote %s %s to %s in %.1f s%n", name, version, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
