package dev.bertstream.jobs.inference;

import dev.bertstream.jobs.testutils.TestBundles;
import dev.bertstream.models.bundle.BundleSigning;
import dev.bertstream.models.bundle.InvalidBundleException;
import dev.bertstream.models.bundle.ModelBundle;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The digest and public key configured for the job reach the TaskManager's load of the bundle. */
class SharedModelTrustTest {

    @TempDir static Path tmp;
    static Path bundle;
    static KeyPair keys = BundleSigning.generateKeyPair();

    @BeforeAll
    static void signedBundle() throws Exception {
        bundle = TestBundles.chatBundle(tmp.resolve("bundle"), "1");
        BundleSigning.sign(bundle, keys.getPrivate());
    }

    @Test
    void bundleMatchingThePinnedDigestAndKeyIsServed() throws Exception {
        InferenceSettings settings =
                settings(
                        ModelBundle.manifestSha256(bundle),
                        BundleSigning.encodedPublicKey(keys.getPublic()));
        try (SharedModels.Lease lease = SharedModels.acquire(settings)) {
            assertThat(lease).isNotNull();
        }
    }

    @Test
    void bundleWithAnotherDigestIsRefusedNamingTheManifest() {
        InferenceSettings settings = settings("0".repeat(64), null);
        assertThatThrownBy(() -> SharedModels.acquire(settings))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("bundle.json has sha256")
                .hasMessageContaining("pinned digest is " + "0".repeat(64));
    }

    @Test
    void bundleSignedByAnotherKeyIsRefusedNamingTheSignature() {
        String other = BundleSigning.encodedPublicKey(BundleSigning.generateKeyPair().getPublic());
        assertThatThrownBy(() -> SharedModels.acquire(settings(null, other)))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("bundle.sig does not verify bundle.json");
    }

    private static InferenceSettings settings(String sha256, String publicKey) {
        return new InferenceSettings(
                bundle.toString(), 1, 1, 16, 4096, 4, false, false, sha256, publicKey);
    }
}
