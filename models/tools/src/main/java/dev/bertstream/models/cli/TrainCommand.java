package dev.bertstream.models.cli;

import dev.bertstream.models.tokenizer.Truncation;
import dev.bertstream.models.training.FrozenHeadTrainer;
import dev.bertstream.models.training.HeadTrainingOptions;
import dev.bertstream.models.training.TaskData;
import dev.bertstream.models.training.finetune.EncoderFineTuner;
import dev.bertstream.models.training.finetune.FineTuneOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code models train}: trains task heads on a frozen encoder into one bundle. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train one classification head per task on a shared encoder (frozen, or fine-tuned with --fine-tune) "
                        + "and write them as one bundle. "
                        + "Files are TSV (text<TAB>label), CSV (text,label) or JSONL ({\"text\":..,\"label\":..}). "
                        + "Label 'oos' marks out-of-scope examples: they calibrate an abstain threshold on dev. "
                        + "A label column listing several labels comma-separated (e.g. anger,annoyance) makes the "
                        + "task multi-label: one sigmoid per label, binary cross-entropy, and each label's "
                        + "threshold chosen for its F1 on dev.")
final class TrainCommand implements Callable<Integer> {

    @Option(
            names = "--encoder",
            required = true,
            paramLabel = "DIR",
            description = "Bundle whose encoder to use.")
    Path encoder;

    @Option(
            names = "--task",
            required = true,
            paramLabel = "NAME=TRAIN[,DEV]",
            description = "A task and its data; repeat.")
    List<String> tasks;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Bundle directory to write.")
    Path out;

    @Option(
            names = "--name",
            defaultValue = "bert-stream",
            description = "Model name. Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(
            names = "--model-version",
            defaultValue = "1",
            description = "Model version. Default: ${DEFAULT-VALUE}.")
    String version;

    @Option(
            names = "--fine-tune",
            description =
                    "Fine-tune the encoder together with the heads (TensorFlow "
                            + "gradients, AdamW with warm-up and linear decay, gradient clipping). Slower, more accurate. "
                            + "Without it the encoder stays frozen and only the heads train (seconds to minutes).")
    boolean fineTune;

    @Option(
            names = "--epochs",
            description =
                    "Max epochs. Default: 60 frozen (early stopping on dev); fine-tuning: about "
                            + "40,000 examples seen, 1 to 5 epochs (e.g. 4 for 9k train examples, 1 "
                            + "for 60k).")
    Integer epochs;

    @Option(
            names = "--lr",
            description =
                    "Peak learning rate. Default: 5e-3 frozen; fine-tuning: 1e-4 for encoders up to "
                            + "384 wide (MiniLM, bge-small), 5e-5 up to 768, 3e-5 above.")
    Double lr;

    @Option(names = "--batch-size", description = "Examples per update. Default: 32.")
    Integer batchSize;

    @Option(
            names = "--evals-per-epoch",
            description =
                    "Fine-tuning: dev evaluations (checkpoint candidates; the best is kept) per "
                            + "epoch. Default: about 6 over the run, 1 to 4 per epoch.")
    Integer evalsPerEpoch;

    @Option(
            names = "--no-warm-start",
            description =
                    "Fine-tuning: start the heads random instead of from heads first trained on "
                            + "the frozen encoder (on up to 10,000 train texts per task, selected on dev).")
    boolean noWarmStart;

    @Option(
            names = "--no-temperature",
            description =
                    "Fine-tuning: do not fit a temperature on dev after training (it makes "
                            + "confidences match accuracy without changing any prediction).")
    boolean noTemperature;

    @Option(
            names = "--dropout",
            defaultValue = "0",
            description =
                    "Fine-tuning: dropout probability in the encoder and before the heads (0: off). "
                            + "Default: ${DEFAULT-VALUE}.")
    double dropout;

    @Option(
            names = "--label-smoothing",
            defaultValue = "0",
            description =
                    "Fine-tuning: share of each target spread over all classes, for noisy labels (e.g. 0.1). "
                            + "Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    @Option(
            names = "--max-len",
            defaultValue = "0",
            description =
                    "Max tokens per text. Default (0): frozen, the encoder bundle's; fine-tuning, "
                            + "the 95th percentile of the train texts' token counts rounded up to 16, "
                            + "at most 256 and the encoder's position limit.")
    int maxLen;

    @Option(
            names = "--truncation",
            paramLabel = "right|head-tail",
            converter = TruncationConverter.class,
            description =
                    "Which tokens of a text longer than --max-len are kept: right (the first ones)"
                            + " or head-tail (about a quarter from the start, the rest from the end;"
                            + " for long reviews). Recorded in the bundle and used when serving."
                            + " Default: the encoder bundle's.")
    Truncation truncation;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed; the same seed gives the same model. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--no-class-weights",
            description = "Do not weight classes by inverse frequency.")
    boolean noClassWeights;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (fineTune) {
            FineTuneOptions.Builder options =
                    FineTuneOptions.builder()
                            .seed(seed)
                            .classWeights(!noClassWeights)
                            .dropout(dropout)
                            .labelSmoothing(labelSmoothing);
            if (epochs != null) {
                options.epochs(epochs);
            }
            if (lr != null) {
                options.learningRate(lr);
            }
            if (batchSize != null) {
                options.batchSize(batchSize);
            }
            if (evalsPerEpoch != null) {
                options.evalsPerEpoch(evalsPerEpoch);
            }
            EncoderFineTuner tuner =
                    EncoderFineTuner.builder(encoder)
                            .name(name)
                            .version(version)
                            .maxLen(maxLen)
                            .warmStart(!noWarmStart)
                            .temperatureScaling(!noTemperature)
                            .options(options);
            if (truncation != null) {
                tuner.truncation(truncation);
            }
            tasks.stream().map(TaskData::parse).forEach(tuner::task);
            tuner.train(out);
        } else {
            HeadTrainingOptions d = HeadTrainingOptions.defaults();
            FrozenHeadTrainer trainer =
                    FrozenHeadTrainer.builder(encoder)
                            .name(name)
                            .version(version)
                            .maxLen(maxLen)
                            .options(
                                    new HeadTrainingOptions(
                                            epochs == null ? d.epochs() : epochs,
                                            lr == null ? d.learningRate() : lr,
                                            d.weightDecay(),
                                            batchSize == null ? d.batchSize() : batchSize,
                                            d.patience(),
                                            seed,
                                            !noClassWeights));
            if (truncation != null) {
                trainer.truncation(truncation);
            }
            tasks.stream().map(TaskData::parse).forEach(trainer::task);
            trainer.train(out);
        }
        System.out.printf(
                "Wrote %s %s to %s in %.1f s%n",
                name, version, out, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
