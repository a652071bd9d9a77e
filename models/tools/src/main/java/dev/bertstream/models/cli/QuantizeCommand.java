package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.GateLimits;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.OneDnnSupport;
import dev.bertstream.models.bundle.Precision;
import dev.bertstream.models.bundle.PrecisionGate;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.inference.BatchPredictor;
import dev.bertstream.models.training.LabelMapping;
import dev.bertstream.models.training.LabeledDatasetReader;
import dev.bertstream.models.training.LabeledExample;
import dev.bertstream.models.training.PrecisionGateCheck;
import dev.bertstream.models.weights.Int8Kernel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code models quantize}: writes an int8 copy of a float32 bundle, but only if it passes the
 * accuracy gate against the float32 bundle on dev texts.
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        description =
                "Write an int8 copy of a float32 bundle (dense layers int8 per output column,"
                        + " activations per batch; needs oneDNN: TF_ENABLE_ONEDNN_OPTS=1 on CPUs"
                        + " without AVX512-VNNI/AMX). Refused unless, on every dev file, labels"
                        + " (abstain decisions included) agree with float32 on >= 99.5% of texts"
                        + " and macro-F1 drops by <= 0.5 point; the result is recorded in"
                        + " bundle.json.")
final class QuantizeCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "The float32 bundle.")
    Path model;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Where to write the int8 bundle (replaced if it exists).")
    Path out;

    @Option(
            names = "--dev",
            paramLabel = "FILE",
            description =
                    "Dev texts (TSV/CSV/JSONL as for train; labels ignored): label agreement on"
                            + " every task. Repeatable.")
    List<Path> dev = new ArrayList<>();

    @Option(
            names = "--task",
            paramLabel = "NAME=FILE",
            description =
                    "A task and its labeled dev file: agreement and macro-F1 drop. Repeatable.")
    List<String> tasks = new ArrayList<>();

    @Option(
            names = "--label-map",
            paramLabel = "GOLD=MODEL,...",
            description = "Rename the --task files' gold labels to the model's, as for eval.")
    String labelMap;

    @Option(
            names = "--int8-levels",
            hidden = true,
            defaultValue = "" + Int8Kernel.DEFAULT_LEVELS,
            description = "Weight levels each side of zero (tests coarsen it to fail the gate).")
    int levels;

    @Option(
            names = "--keep-float32",
            paramLabel = "LAYER",
            split = ",",
            description =
                    "Dense layers to keep float32 in every encoder layer: attention.self,"
                            + " attention.output.dense, intermediate.dense, output.dense.")
    List<String> keepFloat32 = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (dev.isEmpty() && tasks.isEmpty()) {
            throw new IllegalArgumentException("Give at least one --dev FILE or --task NAME=FILE");
        }
        if (!OneDnnSupport.enabled()) {
            throw new IllegalStateException(
                    "int8 bundles run on TensorFlow's oneDNN kernels, which are off here ("
                            + OneDnnSupport.describe()
                            + "): run with "
                            + OneDnnSupport.ENV
                            + "=1");
        }
        LabelMapping mapping = LabelMapping.parse(labelMap, null);
        Path target = out.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path staging =
                Files.createTempDirectory(
                        target.getParent(), "." + target.getFileName() + ".gate-");
        try (ModelBundle reference = ModelBundle.load(model, SessionSettings.defaults())) {
            BundleManifest m = reference.manifest();
            if (m.precisionKind() != Precision.FLOAT32) {
                throw new IllegalArgumentException(
                        model
                                + " is already "
                                + m.precisionKind().id()
                                + "; give a float32 bundle");
            }
            Path candidateDir = staging.resolve("bundle");
            BundleWriter.builder(reference.encoderWeights(), reference.tokenizerFile())
                    .name(m.name())
                    .version(m.version())
                    .source(m.encoder().source())
                    .activation(Activation.fromHuggingFace(m.encoder().activation()))
                    .pooling(Pooling.parse(m.pooling()))
                    .maxSeqLength(m.maxSeqLength())
                    .truncation(m.truncationStrategy())
                    .heads(reference.taskHeads(), m.tasks())
                    .precision(Precision.INT8)
                    .int8Levels(levels)
                    .float32Layers(keepFloat32)
                    .write(candidateDir);
            PrecisionGate gate = runGate(reference, candidateDir, mapping);
            System.out.print(PrecisionGateCheck.describe(gate));
            if (!gate.passed()) {
                throw new IllegalStateException(
                        "Refusing to write "
                                + target
                                + ": the int8 bundle fails the accuracy gate (agreement >= "
                                + 100 * gate.minAgreement()
                                + "%, macro-F1 drop <= "
                                + 100 * gate.maxMacroF1Drop()
                                + " point):\n"
                                + PrecisionGateCheck.describe(gate));
            }
            BundleWriter.recordPrecisionGate(candidateDir, gate);
            deleteRecursively(target);
            Files.move(candidateDir, target, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("Wrote int8 bundle " + target);
            return 0;
        } finally {
            deleteRecursively(staging);
        }
    }

    private PrecisionGate runGate(ModelBundle reference, Path candidateDir, LabelMapping mapping) {
        List<PrecisionGate.TaskCheck> checks = new ArrayList<>();
        try (ModelBundle candidate = ModelBundle.load(candidateDir, SessionSettings.defaults());
                BatchPredictor ref = BatchPredictor.builder(reference).build();
                BatchPredictor cand = BatchPredictor.builder(candidate).build()) {
            for (Path file : dev) {
                List<LabeledExample> examples = LabeledDatasetReader.read(file);
                for (BundleManifest.Task t : reference.manifest().tasks()) {
                    checks.add(
                            PrecisionGateCheck.check(
                                    ref,
                                    cand,
                                    t.name(),
                                    file.getFileName().toString(),
                                    examples,
                                    false,
                                    mapping));
                }
            }
            for (String spec : tasks) {
                int eq = spec.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "--task takes NAME=FILE, got '" + spec + "'");
                }
                Path file = Path.of(spec.substring(eq + 1));
                checks.add(
                        PrecisionGateCheck.check(
                                ref,
                                cand,
                                spec.substring(0, eq),
                                file.getFileName().toString(),
                                LabeledDatasetReader.read(file),
                                true,
                                mapping));
            }
        }
        BundleManifest m = reference.manifest();
        return new PrecisionGate(
                m.name() + " " + m.version() + " sha256:" + reference.manifestDigest(),
                GateLimits.DEFAULT.minAgreement(),
                GateLimits.DEFAULT.maxMacroF1Drop(),
                checks);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
