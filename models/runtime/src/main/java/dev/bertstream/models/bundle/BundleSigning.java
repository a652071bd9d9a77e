package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 signatures of model bundles with the JDK's own provider: {@code bundle.sig} holds the
 * base64 signature of {@code bundle.json}'s exact bytes, and {@code bundle.json} lists the sha256
 * of every other file, so one signature covers the whole bundle. Keys are PKCS#8 (private) and
 * X.509 (public), as PEM or DER.
 *
 * <pre>{@code
 * KeyPair keys = BundleSigning.generateKeyPair();
 * BundleSigning.sign(Path.of("bundles/chat-v3"), keys.getPrivate());
 * }</pre>
 */
@PublicEvolving
public final class BundleSigning {

    /** The signature algorithm, as the JDK names it. */
    public static final String ALGORITHM = "Ed25519";

    /** File name of the signature at the bundle root. */
    public static final String SIGNATURE_FILE = "bundle.sig";

    /** What every Ed25519 X.509 public key starts with in base64 (the algorithm identifier). */
    static final String INLINE_KEY_PREFIX = "MCowBQYDK2VwAyEA";

    private BundleSigning() {}

    /** A new Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK has no " + ALGORITHM + " provider", e);
        }
    }

    /**
     * Signs {@code dir}'s {@code bundle.json} with {@code key} into {@code bundle.sig} and returns
     * the signature file. Signs the manifest as it is: verify the bundle first.
     */
    public static Path sign(Path dir, PrivateKey key) throws IOException {
        byte[] manifest = Files.readAllBytes(dir.resolve(ModelBundle.MANIFEST));
        byte[] signature;
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(manifest);
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot sign with this key: " + e.getMessage(), e);
        }
        Path target = dir.resolve(SIGNATURE_FILE);
        Path tmp = Files.createTempFile(dir, "." + SIGNATURE_FILE, ".tmp");
        Files.writeString(tmp, Base64.getEncoder().encodeToString(signature) + "\n");
        return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Fails naming {@code bundle.sig} unless it is a valid signature of {@code manifest} (the bytes
     * of {@code bundle.json}) by {@code key}.
     */
    static void verify(Path dir, byte[] manifest, PublicKey key) {
        Path sigFile = dir.resolve(SIGNATURE_FILE);
        if (!Files.isRegularFile(sigFile)) {
            throw new InvalidBundleException(
                    "Bundle "
                            + dir
                            + " is not signed: "
                            + SIGNATURE_FILE
                            + " is missing, and a signature by public key "
                            + fingerprint(key)
                            + " is required");
        }
        boolean valid;
        try {
            byte[] signature =
                    Base64.getMimeDecoder()
                            .decode(Files.readString(sigFile, StandardCharsets.US_ASCII).strip());
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(manifest);
            valid = s.verify(signature);
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new InvalidBundleException(
                    "Bundle "
                            + dir
                            + ": signature "
                            + SIGNATURE_FILE
                            + " does not verify "
                            + ModelBundle.MANIFEST
                            + " with public key "
                            + fingerprint(key)
                            + " (signed with another key, or "
                            + ModelBundle.MANIFEST
                            + " changed after signing)");
        }
    }

    /** Reads a PKCS#8 Ed25519 private key, PEM or DER. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(der(Files.readAllBytes(file))));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    file + " is not an Ed25519 private key (PKCS#8, PEM or DER)", e);
        }
    }

    /** Reads an X.509 Ed25519 public key, PEM or DER. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        try {
            return decodePublicKey(der(Files.readAllBytes(file)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    file + " is not an Ed25519 public key (X.509, PEM or DER)", e);
        }
    }

    /**
     * The public key {@code value} names: the key itself as base64 of its X.509 encoding (as {@link
     * #encodedPublicKey} prints it, starting {@code MCowBQYDK2VwAyEA}), or a key file.
     */
    public static PublicKey parsePublicKey(String value) throws IOException {
        String v = value.strip();
        if (v.startsWith(INLINE_KEY_PREFIX)) {
            return decodePublicKey(Base64.getDecoder().decode(v));
        }
        return readPublicKey(Path.of(v));
    }

    /** Base64 of the key's X.509 encoding: one line, usable inline wherever a key is asked for. */
    public static String encodedPublicKey(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** A short name of the key for messages: the first 16 hex digits of its encoding's sha256. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "sha256:" + HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the private key as PKCS#8 PEM, readable by its owner only where the OS allows. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** Writes the public key as X.509 PEM. */
    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()));
    }

    private static PublicKey decodePublicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "not an Ed25519 public key (X.509): " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    /** DER bytes of a PEM or DER key file. */
    private static byte[] der(byte[] file) {
        String text = new String(file, StandardCharsets.US_ASCII);
        if (!text.startsWith("-----BEGIN")) {
            return file;
        }
        StringBuilder b64 = new StringBuilder();
        for (String line : text.split("\\R")) {
            if (!line.startsWith("-----") && !line.isBlank()) {
                b64.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(b64.toString());
    }
}
