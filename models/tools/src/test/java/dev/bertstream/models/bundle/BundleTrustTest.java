package dev.bertstream.models.bundle;

import dev.bertstream.models.testutils.TestEncoders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Only trusted models load: manifest paths confined to the bundle, no unlisted file, the pinned
 * {@code bundle.json} digest, the Ed25519 signature; each refusal names the file.
 */
class BundleTrustTest {

    @TempDir static Path tmp;
    static Path bundle;
    static String digest;
    static KeyPair signer = BundleSigning.generateKeyPair();
    static KeyPair stranger = BundleSigning.generateKeyPair();

    @BeforeAll
    static void writeBundle() throws Exception {
        bundle = TestEncoders.tinyToxicityBundle(tmp.resolve("bundle"), 3);
        digest = ModelBundle.manifestSha256(bundle);
    }

    @Test
    void writtenBundleListsEveryFileTheSavedModelExportWrote() throws Exception {
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(bundle)) {
            onDisk =
                    files.filter(Files::isRegularFile)
                            .map(f -> bundle.relativize(f).toString().replace('\\', '/'))
                            .filter(f -> !f.equals(ModelBundle.MANIFEST))
                            .toList();
        }
        assertThat(ModelBundle.readManifest(bundle).files().keySet())
                .containsExactlyInAnyOrderElementsOf(onDisk);
        assertThat(ModelBundle.verify(bundle, BundleTrust.none()).name()).isEqualTo("tiny");
    }

    @Test
    void pinnedAndSignedBundleLoads() throws Exception {
        Path copy = copyBundle("signed");
        BundleSigning.sign(copy, signer.getPrivate());
        BundleTrust trust =
                BundleTrust.none()
                        .withManifestSha256(digest.toUpperCase())
                        .withPublicKey(signer.getPublic());
        try (ModelBundle loaded = ModelBundle.load(copy, SessionSettings.defaults(), trust)) {
            assertThat(loaded.manifest().version()).isEqualTo("1");
        }
    }

    @Test
    void savedModelPathOutsideTheBundleIsRefusedNamingIt() throws Exception {
        Path outside = copyBundle("outside");
        Path copy = copyBundle("escaping");
        setManifestField(copy, "saved_model", "../outside/saved_model");
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("'saved_model'")
                .hasMessageContaining("../outside/saved_model")
                .hasMessageContaining("not confined to the bundle");

        setManifestField(copy, "saved_model", outside.resolve("saved_model").toString());
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining(outside.resolve("saved_model").toString())
                .hasMessageContaining("not confined to the bundle");
    }

    @Test
    void savedModelDirectoryWhoseFilesAreNotListedIsRefused() throws Exception {
        Path copy = copyBundle("unlisted-model");
        Files.createDirectories(copy.resolve("other"));
        Files.copy(
                copy.resolve("saved_model/saved_model.pb"), copy.resolve("other/saved_model.pb"));
        setManifestField(copy, "saved_model", "other");
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("other/saved_model.pb")
                .hasMessageContaining("has no sha256 in bundle.json");
    }

    @Test
    void unlistedExtraFileIsRefusedNamingIt() throws Exception {
        Path copy = copyBundle("extra");
        Files.createDirectories(copy.resolve("saved_model/assets"));
        Files.writeString(copy.resolve("saved_model/assets/extra.txt"), "not in the manifest");
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("saved_model/assets/extra.txt")
                .hasMessageContaining("is not listed in bundle.json");
    }

    @Test
    void symbolicLinkInTheBundleIsRefusedNamingIt() throws Exception {
        Path copy = copyBundle("linked");
        Path tokenizer = copy.resolve("tokenizer.json");
        Path real = tmp.resolve("real-tokenizer.json");
        Files.move(tokenizer, real);
        Files.createSymbolicLink(tokenizer, real);
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("tokenizer.json")
                .hasMessageContaining("link");
    }

    @Test
    void rehashedManifestIsRefusedAgainstThePinnedDigest() throws Exception {
        Path copy = copyBundle("rehashed");
        Files.writeString(copy.resolve("tokenizer.json"), " ", StandardOpenOption.APPEND);
        BundleManifest rehashed =
                ModelBundle.readManifest(copy).withFiles(BundleChecksums.compute(copy));
        ModelBundle.MAPPER.writeValue(copy.resolve(ModelBundle.MANIFEST).toFile(), rehashed);
        // Consistent in itself: only the pin tells it from the bundle that was reviewed.
        ModelBundle.verify(copy, BundleTrust.none());

        BundleTrust pinned = BundleTrust.none().withManifestSha256(digest);
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults(), pinned))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("bundle.json has sha256 " + ModelBundle.manifestSha256(copy))
                .hasMessageContaining("pinned digest is " + digest);
    }

    @Test
    void wrongSignatureIsRefusedNamingTheFile() throws Exception {
        Path copy = copyBundle("wrong-key");
        BundleSigning.sign(copy, stranger.getPrivate());
        BundleTrust trust = BundleTrust.none().withPublicKey(signer.getPublic());
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults(), trust))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("signature bundle.sig does not verify bundle.json")
                .hasMessageContaining(BundleSigning.fingerprint(signer.getPublic()));
    }

    @Test
    void signatureIsRefusedWhenTheManifestChangedAfterSigning() throws Exception {
        Path copy = copyBundle("changed-after-signing");
        BundleSigning.sign(copy, signer.getPrivate());
        setManifestField(copy, "version", "2");
        BundleTrust trust = BundleTrust.none().withPublicKey(signer.getPublic());
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults(), trust))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("bundle.sig does not verify bundle.json");
    }

    @Test
    void missingSignatureIsRefusedWhenAKeyIsRequired() throws Exception {
        Path copy = copyBundle("unsigned");
        BundleTrust trust = BundleTrust.none().withPublicKey(signer.getPublic());
        assertThatThrownBy(() -> ModelBundle.load(copy, SessionSettings.defaults(), trust))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("is not signed: bundle.sig is missing");
    }

    @Test
    void keysRoundTripThroughPemFilesAndTheInlineForm() throws Exception {
        Path priv = tmp.resolve("k.key");
        Path pub = tmp.resolve("k.pub");
        BundleSigning.writePrivateKey(priv, signer.getPrivate());
        BundleSigning.writePublicKey(pub, signer.getPublic());
        assertThat(BundleSigning.readPrivateKey(priv).getEncoded())
                .isEqualTo(signer.getPrivate().getEncoded());
        assertThat(BundleSigning.parsePublicKey(pub.toString()))
                .isEqualTo(signer.getPublic())
                .isEqualTo(
                        BundleSigning.parsePublicKey(
                                BundleSigning.encodedPublicKey(signer.getPublic())));
        assertThat(Files.getPosixFilePermissions(priv))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    private static void setManifestField(Path dir, String field, String value) throws Exception {
        Path file = dir.resolve(ModelBundle.MANIFEST);
        ObjectNode json = (ObjectNode) ModelBundle.MAPPER.readTree(file.toFile());
        json.put(field, value);
        ModelBundle.MAPPER.writeValue(file.toFile(), json);
    }

    private static Path copyBundle(String name) throws Exception {
        Path target = tmp.resolve(name);
        try (Stream<Path> paths = Files.walk(bundle)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = target.resolve(bundle.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }
}
