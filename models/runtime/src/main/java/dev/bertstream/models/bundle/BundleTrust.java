package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;

import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a bundle must match before its SavedModel is loaded, beyond its own checksums: the sha256 of
 * its {@code bundle.json} (which lists the sha256 of every other file, so the pin covers them all)
 * and an Ed25519 public key its {@code bundle.sig} must verify with. Either may be absent.
 *
 * <pre>{@code
 * BundleTrust trust = BundleTrust.none()
 *     .withManifestSha256("9f86d0...")
 *     .withPublicKey(BundleSigning.parsePublicKey("keys/bundle-signing.pub"));
 * ModelBundle.load(dir, SessionSettings.defaults(), trust);
 * }</pre>
 *
 * @param manifestSha256 lower-case hex sha256 of {@code bundle.json}'s bytes, or {@code null}
 * @param publicKey Ed25519 key {@code bundle.sig} must verify with, or {@code null}
 */
@PublicEvolving
public record BundleTrust(String manifestSha256, PublicKey publicKey) {

    private static final BundleTrust NONE = new BundleTrust(null, null);

    public BundleTrust {
        if (manifestSha256 != null) {
            manifestSha256 = manifestSha256.strip().toLowerCase(Locale.ROOT);
            if (manifestSha256.length() != 64 || !isHex(manifestSha256)) {
                throw new IllegalArgumentException(
                        "A bundle.json digest is 64 hex characters (sha256), got '"
                                + manifestSha256
                                + "'");
            }
        }
        if (publicKey != null
                && !BundleSigning.ALGORITHM.equalsIgnoreCase(publicKey.getAlgorithm())
                && !"EdDSA".equalsIgnoreCase(publicKey.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "Bundle signatures are Ed25519; got a " + publicKey.getAlgorithm() + " key");
        }
    }

    /** Only the bundle's own checksums are checked. */
    public static BundleTrust none() {
        return NONE;
    }

    /**
     * These requirements with {@code bundle.json}'s sha256 pinned ({@code null} or blank: none).
     */
    public BundleTrust withManifestSha256(String sha256) {
        return new BundleTrust(sha256 == null || sha256.isBlank() ? null : sha256, publicKey);
    }

    /** These requirements with a signature by {@code key} required ({@code null}: none). */
    public BundleTrust withPublicKey(PublicKey key) {
        return new BundleTrust(manifestSha256, key);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!HexFormat.isHexDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a load with this trust checked beyond the file checksums, for log lines, e.g. {@code
     * "digest pinned, signature verified"}.
     */
    public String describe() {
        return (manifestSha256 == null ? "digest not pinned" : "digest pinned")
                + ", "
                + (publicKey == null ? "signature not checked" : "signature verified");
    }
}
