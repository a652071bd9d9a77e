package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code models info}: prints a bundle's manifest in human form and checks every file's sha256;
 * exits 1 naming the file when one is missing or modified.
 */
@Command(
        name = "info",
        description =
                "Show what a model bundle contains and check every file against the sha256 in its"
                        + " bundle.json.",
        mixinStandardHelpOptions = true)
final class InfoCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model bundle directory.")
    Path model;

    @Override
    public Integer call() {
        BundleManifest m = ModelBundle.readManifest(model);
        BundleManifest.Encoder e = m.encoder();
        System.out.printf("model:        %s %s%n", m.name(), m.version());
        System.out.printf("encoder:      %s%n", e.source());
        System.out.printf(
                "              %d layers, hidden %d, %d heads, intermediate %d, vocab %d, %s%n",
                e.config().numLayers(),
                e.config().hiddenSize(),
                e.config().numHeads(),
                e.config().intermediateSize(),
                e.config().vocabSize(),
                e.activation());
        System.out.printf("max length:   %d tokens%n", m.maxSeqLength());
        System.out.printf("pooling:      %s%n", m.pooling());
        if (m.tasks().isEmpty()) {
            System.out.println(
                    "tasks:        none (encoder only: train heads with 'models train')");
        }
        for (BundleManifest.Task t : m.tasks()) {
            String abstain =
                    t.abstainThreshold() == null
                            ? ""
                            : String.format(
                                    " (below %.3f -> %s)", t.abstainThreshold(), t.abstainLabel());
            System.out.printf(
                    "task %-8s %s%s%n", t.name() + ":", String.join(", ", t.labels()), abstain);
        }
        // Hash every file now, as loading would: "verified" must mean this run checked them.
        try {
            ModelBundle.verifyFiles(model, m);
        } catch (InvalidBundleException ex) {
            System.out.printf("files:        %d, sha256 check FAILED%n", m.files().size());
            throw ex;
        }
        System.out.printf(
                "files:        %d, sha256 of each checked now: all match %s%n",
                m.files().size(), ModelBundle.MANIFEST);
        return 0;
    }
}
