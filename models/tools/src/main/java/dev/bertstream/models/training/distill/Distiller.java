package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.PaddedBatch;
import dev.bertstream.models.tokenizer.BertTokenizer;
import dev.bertstream.models.tokenizer.TokenizedText;
import dev.bertstream.models.training.TrainingProgress;
import dev.bertstream.models.training.finetune.TrainingBatches;
import dev.bertstream.models.training.pretrain.PretrainCorpus;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import me.tongfei.progressbar.ProgressBar;
import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Distils a bundle into a student with fewer layers: the student starts from every k-th teacher
 * layer ({@link StudentLayers}) plus the teacher's embeddings and heads, learns the teacher's soft
 * targets and hidden states on unlabeled text ({@link DistillationGraph}), and is written only if
 * it passes the accuracy gate against the teacher ({@link DistillationGate}) on labeled dev sets.
 *
 * <pre>{@code
 * Distiller.builder(Path.of("bundles/default-v3"))
 *     .texts(List.of(Path.of("unlabeled.txt")))
 *     .dev(List.of(DistillationGate.DevSet.parse("sentiment=dev.tsv")))
 *     .options(DistillOptions.builder().layers(3).build())
 *     .distill(Path.of("bundles/default-v3-l3"));
 * }</pre>
 */
@Internal
public final class Distiller {

    private static final int TOKENIZE_CHUNK = 4096;

    private final Path teacherDir;
    private final List<Path> textFiles = new ArrayList<>();
    private final List<DistillationGate.DevSet> devSets = new ArrayList<>();
    private DistillOptions options = DistillOptions.builder().build();
    private SessionSettings session = SessionSettings.defaults();
    private PrintStream log = System.err;
    private String version;
    private boolean force;

    private Distiller(Path teacherDir) {
        this.teacherDir = teacherDir;
    }

    /** A distiller of the bundle in {@code teacher}. */
    public static Distiller builder(Path teacher) {
        return new Distiller(Objects.requireNonNull(teacher));
    }

    /** Files of unlabeled text, one per line (TSV files: the first column). */
    public Distiller texts(List<Path> files) {
        textFiles.addAll(files);
        return this;
    }

    /** Labeled dev sets of the accuracy gate. */
    public Distiller dev(List<DistillationGate.DevSet> devs) {
        devSets.addAll(devs);
        return this;
    }

    public Distiller options(DistillOptions options) {
        this.options = Objects.requireNonNull(options);
        return this;
    }

    /** TensorFlow threads of the training session (default: all cores). */
    public Distiller session(SessionSettings settings) {
        this.session = Objects.requireNonNull(settings);
        return this;
    }

    /** Where progress goes (default: standard error). */
    public Distiller log(PrintStream log) {
        this.log = Objects.requireNonNull(log);
        return this;
    }

    /** The written bundle's version (default: the teacher's + {@code -distilled-L<layers>}). */
    public Distiller version(String version) {
        this.version = version;
        return this;
    }

    /**
     * Writes a student that fails the gate anyway, for experiments: its version gets a {@code
     * -failed-gate} suffix and {@code bundle.json} records the failed gate.
     */
    public Distiller force(boolean force) {
        this.force = force;
        return this;
    }

    /**
     * Distils, gates and (if the gate passes, or {@link #force}) writes the student to {@code out}.
     *
     * @throws GateFailedException when the student fails the gate and is not forced; nothing is
     *     written then
     */
    public DistillReport distill(Path out) throws IOException {
        if (textFiles.isEmpty()) {
            throw new IllegalStateException("No text files: add some with --text");
        }
        if (devSets.isEmpty()) {
            throw new IllegalStateException(
                    "No dev sets: the accuracy gate needs at least one --dev TASK=FILE");
        }
        BundleManifest manifest;
        BertWeights teacher;
        List<TaskHead> heads;
        Path tokenizerFile;
        String teacherDigest;
        try (ModelBundle bundle = ModelBundle.load(teacherDir, SessionSettings.defaults())) {
            manifest = bundle.manifest();
            teacher = bundle.encoderWeights();
            heads = BundleHeads.read(bundle);
            tokenizerFile = bundle.tokenizerFile();
            teacherDigest = bundle.manifestDigest();
        }
        if (heads.isEmpty()) {
            throw new IllegalArgumentException(
                    "Teacher " + teacherDir + " has no task heads: nothing to distil");
        }
        for (DistillationGate.DevSet d : devSets) {
            if (manifest.task(d.task()) == null) {
                throw new IllegalArgumentException(
                        "--dev names task '" + d.task() + "', which the teacher does not have");
            }
        }
        List<Integer> layers =
                StudentLayers.teacherIndices(teacher.config().numLayers(), options.layers());
        BertWeights student = StudentLayers.student(teacher, layers);
        log.printf(
                Locale.ROOT,
                "Student: %d of the teacher's %d layers (teacher layers %s, 0-based)%n",
                layers.size(),
                teacher.config().numLayers(),
                layers);

        Random random = new Random(options.seed());
        List<String> texts = new ArrayList<>(PretrainCorpus.read(textFiles));
        Collections.shuffle(texts, random);
        int heldOut = Math.min(options.heldOut(), texts.size() / 10);
        List<TokenizedText> heldOutTokens;
        List<TokenizedText> train;
        int maxLen = Math.min(options.maxLen(), teacher.config().maxSequenceLength());
        try (BertTokenizer tokenizer =
                BertTokenizer.fromTokenizerJson(
                        tokenizerFile, maxLen, manifest.truncationStrategy())) {
            heldOutTokens = tokenizer.encodeBatch(texts.subList(0, heldOut));
            int end =
                    options.maxTexts() > 0
                            ? Math.min(texts.size(), heldOut + options.maxTexts())
                            : texts.size();
            train = new ArrayList<>();
            for (int from = heldOut; from < end; from += TOKENIZE_CHUNK) {
                train.addAll(
                        tokenizer.encodeBatch(
                                texts.subList(from, Math.min(end, from + TOKENIZE_CHUNK))));
            }
        }
        if (train.size() < options.batchSize()) {
            throw new IllegalArgumentException(
                    "Too few texts to distil: "
                            + train.size()
                            + " (need at least a batch of "
                            + options.batchSize()
                            + " besides the "
                            + heldOut
                            + " held out)");
        }
        int[] lengths = train.stream().mapToInt(TokenizedText::length).toArray();
        long perEpoch = TrainingBatches.count(List.of(lengths), options.batchSize());
        long totalSteps = options.steps() > 0 ? options.steps() : perEpoch;
        log.printf(
                Locale.ROOT,
                "%d training texts (%d held out), %d steps of %d (%.2f epochs), max %d tokens%n",
                train.size(),
                heldOut,
                totalSteps,
                options.batchSize(),
                (double) totalSteps / perEpoch,
                maxLen);

        Activation activation = Activation.fromHuggingFace(manifest.encoder().activation());
        Pooling pooling = Pooling.parse(manifest.pooling());
        List<DistillReport.CurvePoint> curve = new ArrayList<>();
        Map<String, WeightTensor> trained;
        long textsSeen = 0;
        double trainSeconds;
        try (DistillationGraph graph =
                new DistillationGraph(
                        teacher,
                        student,
                        layers,
                        activation,
                        pooling,
                        heads,
                        heads,
                        options,
                        session)) {
            curve.add(
                    new DistillReport.CurvePoint(
                            0, Double.NaN, agreement(graph, heldOutTokens, manifest)));
            log.println(curve.get(0).line());
            long start = System.nanoTime();
            long step = 0;
            double lossSum = 0;
            int lossCount = 0;
            double smoothed = Double.NaN;
            try (ProgressBar bar = TrainingProgress.bar(log, "Distilling", totalSteps, " steps")) {
                while (step < totalSteps) {
                    for (TrainingBatches.Batch planned :
                            TrainingBatches.plan(List.of(lengths), options.batchSize(), random)) {
                        if (step >= totalSteps) {
                            break;
                        }
                        DistillationGraph.Losses l =
                                graph.step(
                                        PaddedBatch.of(train, planned.examples()),
                                        options.learningRateAt(step, totalSteps));
                        if (!Float.isFinite(l.total())) {
                            throw new IllegalStateException(
                                    "Distillation diverged at step " + step + ": lower --lr");
                        }
                        step++;
                        textsSeen += planned.examples().length;
                        lossSum += l.total();
                        lossCount++;
                        smoothed =
                                Double.isNaN(smoothed)
                                        ? l.total()
                                        : 0.98 * smoothed + 0.02 * l.total();
                        double seconds = (System.nanoTime() - start) / 1e9;
                        bar.step();
                        bar.setExtraMessage(
                                String.format(
                                        Locale.ROOT,
                                        " loss %.4f (soft %.4f hidden %.4f) %.0f texts/s",
                                        smoothed,
                                        l.soft(),
                                        l.hidden(),
                                        textsSeen / Math.max(seconds, 1e-9)));
                        boolean last = step == totalSteps;
                        if (last || (options.evalEvery() > 0 && step % options.evalEvery() == 0)) {
                            DistillReport.CurvePoint p =
                                    new DistillReport.CurvePoint(
                                            step,
                                            lossSum / lossCount,
                                            agreement(graph, heldOutTokens, manifest));
                            curve.add(p);
                            lossSum = 0;
                            lossCount = 0;
                            // Its own line, so the curve stays readable in a log file.
                            log.println();
                            log.println(p.line());
                        }
                    }
                }
            }
            trainSeconds = (System.nanoTime() - start) / 1e9;
            trained = graph.studentWeights();
        }

        Map<String, WeightTensor> encoderTensors = new LinkedHashMap<>();
        for (String name : student.tensors().keySet()) {
            encoderTensors.put(name, trained.get(name));
        }
        List<TaskHead> trainedHeads = new ArrayList<>();
        for (TaskHead h : heads) {
            trainedHeads.add(
                    new TaskHead(
                            h.name(),
                            h.labels(),
                            trained.get(h.kernelName()),
                            trained.get(h.biasName()),
                            h.activation()));
        }
        BertWeights trainedStudent = new BertWeights(student.config(), encoderTensors);
        String baseVersion =
                version != null ? version : manifest.version() + "-distilled-L" + layers.size();
        String source =
                manifest.encoder().source()
                        + " (distilled from "
                        + manifest.name()
                        + " "
                        + manifest.version()
                        + ", teacher layers "
                        + layers
                        + ")";

        Path absolute = out.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        Path candidate =
                Files.createTempDirectory(
                        absolute.getParent(), "." + absolute.getFileName() + ".gate-");
        DistillationInfo.Gate gate;
        try {
            Path candidateBundle = candidate.resolve("bundle");
            writer(trainedStudent, trainedHeads, tokenizerFile, manifest, activation, pooling)
                    .version(baseVersion)
                    .source(source)
                    .write(candidateBundle);
            log.println("Accuracy gate against the teacher (served decisions, abstain included):");
            gate = DistillationGate.evaluate(teacherDir, candidateBundle, devSets);
            log.println(DistillationGate.summary(gate));
        } finally {
            deleteRecursively(candidate);
        }
        boolean write = gate.passed() || force;
        if (write) {
            DistillationInfo info =
                    new DistillationInfo(
                            manifest.name() + " " + manifest.version(),
                            teacherDigest,
                            layers,
                            train.size(),
                            totalSteps,
                            options.temperature(),
                            gate);
            writer(trainedStudent, trainedHeads, tokenizerFile, manifest, activation, pooling)
                    .version(gate.passed() ? baseVersion : baseVersion + "-failed-gate")
                    .source(source)
                    .distillation(info)
                    .write(out);
        }
        DistillReport report =
                new DistillReport(
                        layers,
                        train.size(),
                        totalSteps,
                        textsSeen,
                        trainSeconds,
                        curve,
                        gate,
                        write);
        log.println(report.summary());
        if (!write) {
            throw new GateFailedException(gate);
        }
        return report;
    }

    /**
     * A writer of the student with the teacher's serving settings (length, truncation, abstain).
     */
    private static BundleWriter writer(
            BertWeights weights,
            List<TaskHead> heads,
            Path tokenizerFile,
            BundleManifest teacher,
            Activation activation,
            Pooling pooling) {
        return BundleWriter.builder(weights, tokenizerFile)
                .name(teacher.name())
                .activation(activation)
                .pooling(pooling)
                .maxSeqLength(teacher.maxSeqLength())
                .truncation(teacher.truncationStrategy())
                .heads(heads, teacher.tasks());
    }

    /**
     * Per task, the share of held-out texts where the student's decision equals the teacher's: the
     * top label, or the abstain label below the teacher's threshold; for a sigmoid head, the same
     * labels at or above their thresholds.
     */
    private static Map<String, Double> agreement(
            DistillationGraph graph, List<TokenizedText> texts, BundleManifest manifest) {
        Map<String, Integer> agree = new LinkedHashMap<>();
        manifest.tasks().forEach(t -> agree.put(t.name(), 0));
        int batch = 64;
        for (int from = 0; from < texts.size(); from += batch) {
            int[] idx = new int[Math.min(batch, texts.size() - from)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            List<Map<String, float[][]>> p = graph.probabilities(PaddedBatch.of(texts, idx));
            for (BundleManifest.Task t : manifest.tasks()) {
                float[][] a = p.get(0).get(t.name());
                float[][] b = p.get(1).get(t.name());
                for (int i = 0; i < idx.length; i++) {
                    if (decision(a[i], t).equals(decision(b[i], t))) {
                        agree.merge(t.name(), 1, Integer::sum);
                    }
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        agree.forEach((k, v) -> out.put(k, texts.isEmpty() ? 1.0 : (double) v / texts.size()));
        return out;
    }

    private static String decision(float[] p, BundleManifest.Task t) {
        if (t.multiLabel()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < p.length; i++) {
                sb.append(p[i] >= t.threshold(i) ? '1' : '0');
            }
            return sb.toString();
        }
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        if (t.abstainThreshold() != null && p[best] < t.abstainThreshold()) {
            return "abstain";
        }
        return Integer.toString(best);
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
