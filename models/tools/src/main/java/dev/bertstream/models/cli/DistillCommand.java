package dev.bertstream.models.cli;

import dev.bertstream.models.training.distill.DistillOptions;
import dev.bertstream.models.training.distill.DistillationGate;
import dev.bertstream.models.training.distill.Distiller;
import dev.bertstream.models.training.distill.GateFailedException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code models distill}: a smaller student of a bundle, gated on agreement with the teacher. */
@Command(
        name = "distill",
        mixinStandardHelpOptions = true,
        description =
                "Distil a bundle into a student with fewer layers: the student starts from every k-th"
                        + " teacher layer (layers 2,4,6 of 6 for --layers 3) plus the teacher's"
                        + " embeddings and heads, and learns the teacher's soft targets (KL per head at"
                        + " --temperature) and hidden states (MSE per matched layer and pooled output)"
                        + " on unlabeled text. It is written only if it passes the accuracy gate on"
                        + " every --dev set: decisions (abstain included) equal to the teacher's on"
                        + " >= 99.5%% of texts and macro-F1 at most 0.5 points below the teacher's.")
final class DistillCommand implements Callable<Integer> {

    @Option(
            names = "--teacher",
            required = true,
            paramLabel = "DIR",
            description = "Bundle to distil.")
    Path teacher;

    @Option(names = "--layers", required = true, paramLabel = "N", description = "Student layers.")
    int layers;

    @Option(
            names = "--text",
            required = true,
            paramLabel = "FILE",
            description = "Unlabeled text, one per line (of a .tsv file the first column); repeat.")
    List<Path> texts;

    @Option(
            names = "--dev",
            required = true,
            paramLabel = "TASK=FILE",
            description = "Labeled dev set (text<TAB>label) of the accuracy gate; repeat.")
    List<String> devs;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Student bundle directory to write.")
    Path out;

    @Option(
            names = "--steps",
            defaultValue = "0",
            description =
                    "Training steps (batches); 0: one pass over the texts. Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(
            names = "--max-texts",
            defaultValue = "0",
            description =
                    "Use at most this many texts (a random sample); 0: all. Default: ${DEFAULT-VALUE}.")
    int maxTexts;

    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--max-len",
            defaultValue = "64",
            description =
                    "Max tokens per training text (the student serves at the teacher's length)."
                            + " Default: ${DEFAULT-VALUE}.")
    int maxLen;

    @Option(
            names = "--lr",
            defaultValue = "1e-4",
            description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(
            names = "--temperature",
            defaultValue = "1",
            description = "Softmax temperature of the soft targets. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(
            names = "--hidden-weight",
            defaultValue = "1",
            description = "Weight of the hidden-state MSE. Default: ${DEFAULT-VALUE}.")
    double hiddenWeight;

    @Option(
            names = "--eval-every",
            defaultValue = "500",
            description =
                    "Steps between held-out agreement checks (0: at the end only). Default: ${DEFAULT-VALUE}.")
    long evalEvery;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--force",
            description =
                    "Write a student that fails the gate anyway, for experiments: version suffixed"
                            + " -failed-gate, the failed gate recorded in bundle.json. Never serve it.")
    boolean force;

    @Option(
            names = "--model-version",
            description =
                    "Version of the written bundle. Default: the teacher's + '-distilled-L<N>'.")
    String version;

    @Override
    public Integer call() throws Exception {
        DistillOptions options =
                DistillOptions.builder()
                        .layers(layers)
                        .steps(steps)
                        .maxTexts(maxTexts)
                        .batchSize(batchSize)
                        .maxLen(maxLen)
                        .learningRate(lr)
                        .temperature(temperature)
                        .hiddenWeight(hiddenWeight)
                        .evalEvery(evalEvery)
                        .seed(seed)
                        .build();
        try {
            Distiller.builder(teacher)
                    .texts(texts)
                    .dev(devs.stream().map(DistillationGate.DevSet::parse).toList())
                    .options(options)
                    .version(version)
                    .force(force)
                    .distill(out);
        } catch (GateFailedException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        System.out.printf("Wrote %s%n", out);
        return 0;
    }
}
