package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.BundleTrust;
import dev.bertstream.models.bundle.ModelBundle;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.Callable;

/**
 * {@code models sign}: verifies a bundle's files, then signs its {@code bundle.json} with an
 * Ed25519 private key into {@code bundle.sig}.
 */
@Command(
        name = "sign",
        description =
                "Check every file of a bundle against its bundle.json, then sign bundle.json with an"
                        + " Ed25519 private key into bundle.sig. Jobs with"
                        + " inference.model-public-key load only bundles signed by its key.",
        mixinStandardHelpOptions = true)
final class SignCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model bundle directory.")
    Path model;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "FILE",
            description = "Ed25519 private key, PKCS#8 PEM or DER ('models keygen' writes one).")
    Path key;

    @Option(
            names = "--public-key",
            paramLabel = "KEY",
            description =
                    "Public key to check the new signature with (file, or the inline base64 form)."
                            + " Recommended: it catches signing with the wrong private key.")
    String publicKey;

    @Override
    public Integer call() throws Exception {
        PrivateKey privateKey = BundleSigning.readPrivateKey(key);
        // Sign only what was checked: a signature vouches for every file bundle.json lists.
        ModelBundle.verify(model, BundleTrust.none());
        Path sig = BundleSigning.sign(model, privateKey);
        String digest = ModelBundle.manifestSha256(model);
        if (publicKey != null) {
            PublicKey pub = BundleSigning.parsePublicKey(publicKey);
            ModelBundle.verifyTrust(model, BundleTrust.none().withPublicKey(pub));
            System.out.printf(
                    "Signed %s (sha256 %s); checked with public key %s%n",
                    ModelBundle.MANIFEST, digest, BundleSigning.fingerprint(pub));
        } else {
            System.out.printf("Signed %s (sha256 %s)%n", ModelBundle.MANIFEST, digest);
        }
        System.out.println("Wrote " + sig);
        return 0;
    }
}
