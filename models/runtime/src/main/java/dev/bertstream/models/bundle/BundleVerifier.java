package dev.bertstream.models.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything checked before a bundle's SavedModel is loaded, because loading a SavedModel runs its
 * graph's ops (which can read and write files): the pinned manifest digest, the signature, paths
 * confined to the bundle, no file that the manifest does not list, and every listed file's sha256.
 */
final class BundleVerifier {

    private BundleVerifier() {}

    /** The manifest digest pin and the signature, checked on {@code bundle.json}'s exact bytes. */
    static void verifyTrust(Path dir, byte[] manifestBytes, BundleTrust trust) {
        if (trust.manifestSha256() != null) {
            String actual = sha256(manifestBytes);
            if (!actual.equals(trust.manifestSha256())) {
                throw new InvalidBundleException(
                        "Bundle "
                                + dir
                                + ": "
                                + ModelBundle.MANIFEST
                                + " has sha256 "
                                + actual
                                + " but the pinned digest is "
                                + trust.manifestSha256()
                                + " (the manifest was changed or re-hashed, or this is another"
                                + " bundle)");
            }
        }
        if (trust.publicKey() != null) {
            BundleSigning.verify(dir, manifestBytes, trust.publicKey());
        }
    }

    /**
     * Every manifest path relative and inside the bundle, every file of the bundle listed, every
     * listed file present with its sha256.
     */
    static void verifyContents(Path dir, BundleManifest manifest) {
        confined(dir, "saved_model", manifest.savedModel());
        confined(dir, "tokenizer", manifest.tokenizer());
        for (String file : manifest.files().keySet()) {
            confined(dir, "files", file);
        }
        requireListed(dir, manifest, "tokenizer", manifest.tokenizer());
        requireListed(dir, manifest, "saved_model", manifest.savedModel() + "/saved_model.pb");
        refuseUnlisted(dir, manifest.files());
        BundleChecksums.verify(dir, manifest.files());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A '/'-separated relative path whose every segment is a plain name. */
    private static void confined(Path dir, String field, String path) {
        boolean ok = path != null && !path.isEmpty() && !path.contains("\\") && !path.contains(":");
        if (ok) {
            for (String segment : path.split("/", -1)) {
                ok &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
            }
        }
        if (!ok || Path.of(path).isAbsolute()) {
            throw new InvalidBundleException(
                    "Bundle "
                            + dir
                            + ": "
                            + ModelBundle.MANIFEST
                            + " field '"
                            + field
                            + "' names '"
                            + path
                            + "', which is not confined to the bundle: manifest paths must be"
                            + " relative, '/'-separated, without '.' or '..'");
        }
    }

    private static void requireListed(
            Path dir, BundleManifest manifest, String field, String file) {
        if (!manifest.files().containsKey(file)) {
            throw new InvalidBundleException(
                    "Bundle "
                            + dir
                            + ": "
                            + file
                            + " (of field '"
                            + field
                            + "') has no sha256 in "
                            + ModelBundle.MANIFEST);
        }
    }

    /** Refuses a file the manifest does not list, and any link or special file. */
    private static void refuseUnlisted(Path dir, Map<String, String> listed) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (p.equals(dir) || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InvalidBundleException(
                            "Bundle "
                                    + dir
                                    + ": "
                                    + rel
                                    + " is a link or special file; a bundle holds plain files"
                                    + " only");
                }
                if (!listed.containsKey(rel)
                        && !rel.equals(ModelBundle.MANIFEST)
                        && !rel.equals(BundleSigning.SIGNATURE_FILE)) {
                    throw new InvalidBundleException(
                            "Bundle "
                                    + dir
                                    + ": file "
                                    + rel
                                    + " is not listed in "
                                    + ModelBundle.MANIFEST
                                    + "; remove it, or rebuild the bundle with it");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list bundle directory " + dir, e);
        }
    }
}
