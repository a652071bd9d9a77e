package dev.bertstream.jobs.inference;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns a model bundle reference into a local directory: local paths are used as they are; any
 * other Flink FileSystem URI ({@code s3://}, {@code hdfs://}, ...) is copied once per JVM into a
 * local cache keyed by the URI, so every slot of a TaskManager shares one copy.
 */
public final class BundleLocator {

    private BundleLocator() {}

    /** The local directory of the bundle at {@code reference}. */
    public static synchronized Path localDirectory(String reference, Path cacheRoot)
            throws IOException {
        URI uri =
                URI.create(
                        reference.contains("://")
                                ? reference
                                : "file:" + Path.of(reference).toAbsolutePath());
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return Path.of(uri.getPath());
        }
        Path target = cacheRoot.resolve(sha1(reference));
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(Files.createDirectories(cacheRoot), "fetch-");
        copy(new org.apache.flink.core.fs.Path(uri), staging);
        Files.writeString(staging.resolve(".complete"), reference);
        if (Files.exists(target)) {
            deleteRecursively(target);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static void copy(org.apache.flink.core.fs.Path from, Path to) throws IOException {
        FileSystem fs = from.getFileSystem();
        FileStatus[] children = fs.listStatus(from);
        if (children == null) {
            throw new IOException("Model bundle " + from + " does not exist");
        }
        for (FileStatus child : children) {
            Path local = to.resolve(child.getPath().getName());
            if (child.isDir()) {
                Files.createDirectories(local);
                copy(child.getPath(), local);
            } else {
                try (InputStream in = fs.open(child.getPath())) {
                    Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p :
                    (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-1")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
