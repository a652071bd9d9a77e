package dev.bertstream.models.cli;

import dev.bertstream.models.training.pretrain.MaskedLmPretrainer;
import dev.bertstream.models.training.pretrain.PretrainOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code models pretrain}: continued masked-language-model pre-training of an encoder. */
@Command(
        name = "pretrain",
        mixinStandardHelpOptions = true,
        description =
                "Continue pre-training an encoder on unlabeled text of your domain with BERT's masked language "
                        + "model (15%% of tokens predicted: 80%% [MASK], 10%% random, 10%% kept) and write an "
                        + "encoder bundle to fine-tune with 'models train --encoder'. Text files hold one text "
                        + "per line; of a .tsv file the first column is read (a labeled train.tsv works).")
final class PretrainCommand implements Callable<Integer> {

    @Option(
            names = "--encoder",
            required = true,
            paramLabel = "DIR",
            description = "Bundle whose encoder to pre-train.")
    Path encoder;

    @Option(
            names = "--text",
            required = true,
            paramLabel = "FILE",
            description = "Unlabeled text; repeat for several files.")
    List<Path> texts;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Encoder bundle directory to write.")
    Path out;

    @Option(names = "--epochs", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--lr",
            defaultValue = "5e-5",
            description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--max-len",
            defaultValue = "128",
            description = "Max tokens per text. Default: ${DEFAULT-VALUE}.")
    int maxLen;

    @Option(
            names = "--whole-word",
            description =
                    "Mask whole words (ICU dictionary segmentation, so Chinese words rather than characters).")
    boolean wholeWord;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--model-version",
            description = "Version of the written bundle. Default: the encoder's + '-mlm'.")
    String version;

    @Override
    public Integer call() throws Exception {
        PretrainOptions options =
                PretrainOptions.builder()
                        .epochs(epochs)
                        .learningRate(lr)
                        .batchSize(batchSize)
                        .maxLen(maxLen)
                        .wholeWord(wholeWord)
                        .seed(seed)
                        .build();
        MaskedLmPretrainer.builder(encoder)
                .texts(texts)
                .options(options)
                .version(version)
                .pretrain(out);
        System.out.printf("Wrote %s%n", out);
        return 0;
    }
}
