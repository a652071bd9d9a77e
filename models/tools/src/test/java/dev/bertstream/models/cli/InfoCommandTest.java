package dev.bertstream.models.cli;

import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.ModelBundle;
import dev.bertstream.models.testutils.CommandRun;
import dev.bertstream.models.testutils.TestEncoders;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code models info} says what it checked: it hashes every file, fails on a modified or unlisted
 * one, and checks the digest and signature only when given them, saying so; {@code models keygen}
 * and {@code sign} make what it checks.
 */
class InfoCommandTest {

    @TempDir static Path tmp;
    static Path bundle;

    @BeforeAll
    static void writeTinyBundle() throws Exception {
        bundle = TestEncoders.tinyToxicityBundle(tmp.resolve("tiny"), 5);
    }

    @Test
    void intactBundleIsReportedAsCheckedNow() {
        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", bundle.toString());
        assertThat(info.exit()).isZero();
        assertThat(info.out())
                .contains("model:        tiny 1")
                .containsPattern("files: +\\d+, sha256 of each checked now: all match bundle.json")
                .doesNotContain("verified at load")
                .contains("digest:       not checked (no --sha256 given)")
                .contains("signature:    none");
    }

    @Test
    void signedBundleIsReportedVerifiedAgainstTheDigestAndKeyGiven() throws Exception {
        Path copy = tmp.resolve("signed");
        copyTree(bundle, copy);
        Path keys = tmp.resolve("keys");
        CommandRun keygen = CommandRun.of(new ModelsCommand(), "keygen", "--out", keys.toString());
        assertThat(keygen.exit()).isZero();
        assertThat(keygen.out()).contains("inference.model-public-key: MCowBQYDK2VwAyEA");
        String publicKey = keys.resolve("bundle-signing.pub").toString();
        CommandRun sign =
                CommandRun.of(
                        new ModelsCommand(),
                        "sign",
                        "--model",
                        copy.toString(),
                        "--key",
                        keys.resolve("bundle-signing.key").toString(),
                        "--public-key",
                        publicKey);
        assertThat(sign.exit()).isZero();
        assertThat(copy.resolve("bundle.sig")).exists();
        String digest = ModelBundle.manifestSha256(copy);

        CommandRun unchecked =
                CommandRun.of(new ModelsCommand(), "info", "--model", copy.toString());
        assertThat(unchecked.out())
                .contains("manifest:     bundle.json sha256 " + digest)
                .contains("signature:    bundle.sig present, not checked (no --public-key given)");

        CommandRun info =
                CommandRun.of(
                        new ModelsCommand(),
                        "info",
                        "--model",
                        copy.toString(),
                        "--sha256",
                        digest,
                        "--public-key",
                        publicKey);
        assertThat(info.exit()).isZero();
        assertThat(info.out())
                .contains("digest:       matches --sha256")
                .containsPattern(
                        "signature: +bundle.sig verified with public key sha256:[0-9a-f]{16}");
    }

    @Test
    void signatureByAnotherKeyFailsNamingTheSignatureFile() throws Exception {
        Path copy = tmp.resolve("other-signer");
        copyTree(bundle, copy);
        KeyPair signer = BundleSigning.generateKeyPair();
        BundleSigning.sign(copy, signer.getPrivate());
        String otherKey =
                BundleSigning.encodedPublicKey(BundleSigning.generateKeyPair().getPublic());

        CommandRun info =
                CommandRun.of(
                        new ModelsCommand(),
                        "info",
                        "--model",
                        copy.toString(),
                        "--public-key",
                        otherKey);

        assertThat(info.exit()).isEqualTo(1);
        assertThat(info.out()).contains("signature:    check FAILED").doesNotContain("verified");
        assertThat(info.err()).contains("bundle.sig does not verify bundle.json");
    }

    @Test
    void unlistedFileFailsNamingTheFile() throws Exception {
        Path copy = tmp.resolve("extra");
        copyTree(bundle, copy);
        Files.writeString(copy.resolve("saved_model").resolve("extra.pb"), "x");

        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", copy.toString());

        assertThat(info.exit()).isEqualTo(1);
        assertThat(info.out()).containsPattern("files: +\\d+, sha256 check FAILED");
        assertThat(info.err()).contains("saved_model/extra.pb is not listed in bundle.json");
    }

    @Test
    void modifiedWeightsFileFailsNamingTheFile() throws Exception {
        Path copy = tmp.resolve("modified");
        copyTree(bundle, copy);
        Path weights;
        try (Stream<Path> files = Files.walk(copy.resolve("saved_model").resolve("variables"))) {
            weights =
                    files.filter(f -> f.getFileName().toString().startsWith("variables.data"))
                            .findFirst()
                            .orElseThrow();
        }
        Files.write(weights, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);

        CommandRun info = CommandRun.of(new ModelsCommand(), "info", "--model", copy.toString());

        assertThat(info.exit()).isEqualTo(1);
        assertThat(info.out())
                .containsPattern("files: +\\d+, sha256 check FAILED")
                .doesNotContain("all match")
                .doesNotContain("verified");
        assertThat(info.err())
                .contains("was modified")
                .contains(copy.relativize(weights).toString().replace('\\', '/'));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
