package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleManifest;
import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.BundleTrust;
import dev.bertstream.models.bundle.DistillationInfo;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.graph.HeadActivation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * {@code models info}: prints a bundle's manifest in human form, checks its files as loading does
 * (every sha256, no unlisted file, paths inside the bundle) and, when given, the pinned digest and
 * the signature; says what it checked and what it did not, and exits 1 naming the file on failure.
 */
@Command(
        name = "info",
        description =
                "Show what a model bundle contains and check every file against the sha256 in its"
                        + " bundle.json, and optionally bundle.json against a pinned sha256 and"
                        + " bundle.sig against a public key.",
        mixinStandardHelpOptions = true)
final class InfoCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model bundle directory.")
    Path model;

    @Option(
            names = "--sha256",
            paramLabel = "HEX",
            description = "Expected sha256 of bundle.json, as inference.model-sha256 pins it.")
    String sha256;

    @Option(
            names = "--public-key",
            paramLabel = "KEY",
            description =
                    "Ed25519 public key bundle.sig must verify with: a PEM/DER file or the inline"
                            + " base64 form, as inference.model-public-key takes it.")
    String publicKey;

    @Override
    public Integer call() throws Exception {
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
        System.out.printf(
                "max length:   %d tokens (longer texts truncated: %s)%n",
                m.maxSeqLength(), m.truncationStrategy().id());
        System.out.printf("pooling:      %s%n", m.pooling());
        if (m.distillation() != null) {
            DistillationInfo d = m.distillation();
            System.out.printf(
                    "distilled:    from %s, teacher layers %s (0-based), %d steps on %d texts; gate %s%n",
                    d.teacher(),
                    d.teacherLayerIndices(),
                    d.steps(),
                    d.texts(),
                    d.gate().passed() ? "passed" : "FAILED (not for serving)");
        }
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
            String scores =
                    t.headActivation() == HeadActivation.SIGMOID
                            ? " (sigmoid: an independent score per label; multi-label, "
                                    + (t.thresholds() == null
                                            ? "each label at 0.5)"
                                            : "per-label thresholds calibrated on dev)")
                            : "";
            System.out.printf(
                    "task %-8s %s%s%s%n",
                    t.name() + ":", String.join(", ", t.labels()), abstain, scores);
        }
        System.out.printf(
                "manifest:     %s sha256 %s%n",
                ModelBundle.MANIFEST, ModelBundle.manifestSha256(model));
        // Hash every file now, as loading would: "verified" must mean this run checked them.
        try {
            ModelBundle.verifyFiles(model, m);
        } catch (InvalidBundleException ex) {
            System.out.printf("files:        %d, sha256 check FAILED%n", m.files().size());
            throw ex;
        }
        System.out.printf(
                "files:        %d, sha256 of each checked now: all match %s; no unlisted file%n",
                m.files().size(), ModelBundle.MANIFEST);
        checkDigest();
        checkSignature();
        return 0;
    }

    private void checkDigest() {
        if (sha256 == null) {
            System.out.println("digest:       not checked (no --sha256 given)");
            return;
        }
        BundleTrust trust = BundleTrust.none().withManifestSha256(sha256);
        try {
            ModelBundle.verifyTrust(model, trust);
        } catch (InvalidBundleException ex) {
            System.out.println("digest:       does NOT match --sha256");
            throw ex;
        }
        System.out.println("digest:       matches --sha256");
    }

    private void checkSignature() throws Exception {
        boolean signed = Files.isRegularFile(model.resolve(BundleSigning.SIGNATURE_FILE));
        if (publicKey == null) {
            System.out.println(
                    signed
                            ? "signature:    "
                                    + BundleSigning.SIGNATURE_FILE
                                    + " present, not checked (no --public-key given)"
                            : "signature:    none");
            return;
        }
        PublicKey key = BundleSigning.parsePublicKey(publicKey);
        try {
            ModelBundle.verifyTrust(model, BundleTrust.none().withPublicKey(key));
        } catch (InvalidBundleException ex) {
            System.out.println("signature:    check FAILED");
            throw ex;
        }
        System.out.printf(
                "signature:    %s verified with public key %s%n",
                BundleSigning.SIGNATURE_FILE, BundleSigning.fingerprint(key));
    }
}
