package dev.bertstream.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Computes and verifies the sha256 of every file in a bundle directory. */
final class BundleChecksums {

    private BundleChecksums() {}

    /**
     * sha256 of every regular file below {@code dir} except the manifest, by '/'-separated relative
     * path.
     */
    static Map<String, String> compute(Path dir) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = relative(dir, f);
                if (!rel.equals(ModelBundle.MANIFEST)) {
                    sums.put(rel, sha256(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list bundle directory " + dir, e);
        }
        return sums;
    }

    /** Fails with a message naming the first file that is missing or whose content changed. */
    static void verify(Path dir, Map<String, String> expected) {
        if (expected.isEmpty()) {
            throw new InvalidBundleException(dir.resolve(ModelBundle.MANIFEST) + " lists no files");
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Path f = dir.resolve(e.getKey()).normalize();
            if (!f.startsWith(dir.normalize())) {
                throw new InvalidBundleException(
                        "Bundle manifest names a file outside the bundle: " + e.getKey());
            }
            if (!Files.isRegularFile(f)) {
                throw new InvalidBundleException(
                        "Bundle "
                                + dir
                                + " is incomplete: file "
                                + e.getKey()
                                + " listed in "
                                + ModelBundle.MANIFEST
                                + " is missing");
            }
            String actual = sha256(f);
            if (!actual.equalsIgnoreCase(e.getValue())) {
                throw new InvalidBundleException(
                        "Bundle "
                                + dir
                                + " was modified: file "
                                + e.getKey()
                                + " has sha256 "
                                + actual
                                + " but "
                                + ModelBundle.MANIFEST
                                + " says "
                                + e.getValue());
            }
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
