package dev.bertstream.jobs.inference;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Turns a model bundle reference into a local directory: local paths are used as they are; any
 * other Flink FileSystem URI ({@code s3://}, {@code hdfs://}, ...) is copied once per JVM into a
 * private cache (owner-only, refused if another user could write it) keyed by the URI, so every
 * slot of a TaskManager shares one copy. A cached copy is never trusted as such: the caller
 * verifies it at every load ({@code ModelBundle.load}) and {@link #evict}s it when it fails.
 */
@Internal
public final class BundleLocator {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rwx------");

    private BundleLocator() {}

    /**
     * The default cache: {@code bert-stream-bundles-<user>} in {@code java.io.tmpdir}, one per OS
     * user.
     */
    public static Path defaultCacheRoot() {
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "bert-stream-bundles-" + user);
    }

    /** Whether {@code reference} is copied into the cache (not a local path). */
    public static boolean isRemote(String reference) {
        String scheme = uri(reference).getScheme();
        return scheme != null && !scheme.equals("file");
    }

    /** The local directory of the bundle at {@code reference}. */
    public static synchronized Path localDirectory(String reference, Path cacheRoot)
            throws IOException {
        URI uri = uri(reference);
        if (!isRemote(reference)) {
            return Path.of(uri.getPath());
        }
        Path root = privateDirectory(cacheRoot);
        Path target = root.resolve(sha1(reference));
        // The copy is moved into place whole, so an existing target is a finished copy; whether it
        // is the right one is for the verification at load to say.
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return target;
        }
        Path staging = Files.createTempDirectory(root, "fetch-");
        try {
            copy(new org.apache.flink.core.fs.Path(uri), staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteRecursively(staging);
        }
        return target;
    }

    /** Drops the cached copy of {@code reference}, so the next call copies it again. */
    public static synchronized void evict(String reference, Path cacheRoot) throws IOException {
        if (isRemote(reference)) {
            deleteRecursively(privateDirectory(cacheRoot).resolve(sha1(reference)));
        }
    }

    /**
     * {@code dir}, created owner-only (rwx------) if missing; refused when it is a link, owned by
     * another user, or open to others, since whoever can write it can replace a model.
     */
    static Path privateDirectory(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(dir);
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            // The umask can strip bits from the attribute, never add: make it exact.
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            // Made earlier, by this or another JVM, or by someone else: checked below.
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(
                    "Model cache " + dir + " is not a directory (a link or a file); remove it");
        }
        Path probe = Files.createTempFile(dir, ".owner-", "");
        try {
            if (!Files.getOwner(probe).equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))) {
                throw new IOException(
                        "Model cache "
                                + dir
                                + " belongs to "
                                + Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName()
                                + ", not to the user running this TaskManager; remove it");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        Set<PosixFilePermission> perms =
                Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        if (!perms.equals(OWNER_ONLY)) {
            throw new IOException(
                    "Model cache "
                            + dir
                            + " is "
                            + PosixFilePermissions.toString(perms)
                            + ", not private (rwx------); remove it, it may hold replaced models");
        }
        return dir;
    }

    private static void copy(org.apache.flink.core.fs.Path from, Path to) throws IOException {
        FileSystem fs = from.getFileSystem();
        FileStatus[] children = fs.listStatus(from);
        if (children == null) {
            throw new IOException("Model bundle " + from + " does not exist");
        }
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
                throw new IOException(
                        "Model bundle " + from + " lists an entry named '" + name + "'");
            }
            Path local = to.resolve(name);
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
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p :
                    (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static URI uri(String reference) {
        return URI.create(
                reference.contains("://")
                        ? reference
                        : "file:" + Path.of(reference).toAbsolutePath());
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
