package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleSigning;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

/** {@code models keygen}: a new Ed25519 key pair for signing bundles, made by the JDK. */
@Command(
        name = "keygen",
        description =
                "Generate an Ed25519 key pair for 'models sign': <name>.key (PKCS#8 PEM, owner-only)"
                        + " and <name>.pub (X.509 PEM).",
        mixinStandardHelpOptions = true)
final class KeygenCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the key files.")
    Path out;

    @Option(
            names = "--name",
            defaultValue = "bundle-signing",
            paramLabel = "NAME",
            description = "Base name of the key files. Default: ${DEFAULT-VALUE}.")
    String name;

    @Override
    public Integer call() throws Exception {
        Path privateFile = out.resolve(name + ".key");
        Path publicFile = out.resolve(name + ".pub");
        if (Files.exists(privateFile) || Files.exists(publicFile)) {
            throw new IllegalArgumentException(
                    privateFile + " or " + publicFile + " exists; not overwriting a key");
        }
        Files.createDirectories(out);
        KeyPair keys = BundleSigning.generateKeyPair();
        BundleSigning.writePrivateKey(privateFile, keys.getPrivate());
        BundleSigning.writePublicKey(publicFile, keys.getPublic());
        System.out.println("Private key: " + privateFile + " (keep it off the cluster)");
        System.out.println("Public key:  " + publicFile);
        System.out.println("Fingerprint: " + BundleSigning.fingerprint(keys.getPublic()));
        System.out.println(
                "inference.model-public-key: " + BundleSigning.encodedPublicKey(keys.getPublic()));
        return 0;
    }
}
