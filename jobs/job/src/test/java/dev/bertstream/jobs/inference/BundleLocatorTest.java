package dev.bertstream.jobs.inference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TaskManager's bundle cache is private to its user, or it is not used. */
class BundleLocatorTest {

    @TempDir Path tmp;

    @Test
    void cacheDirectoryIsCreatedOwnerOnly() throws Exception {
        Path cache = BundleLocator.privateDirectory(tmp.resolve("a").resolve("cache"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
                .isEqualTo("rwx------");
        // A second TaskManager of the same user accepts it as it is.
        assertThat(BundleLocator.privateDirectory(cache)).isEqualTo(cache);
    }

    @Test
    void cacheDirectoryOthersCanWriteIsRefusedNamingIt() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> BundleLocator.privateDirectory(shared))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(shared.toString())
                .hasMessageContaining("rwxrwxrwx, not private (rwx------)");
    }

    @Test
    void cacheDirectoryThatIsALinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), elsewhere);
        assertThatThrownBy(() -> BundleLocator.privateDirectory(link))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a directory (a link or a file)");
    }

    @Test
    void defaultCacheIsPerUserAndLocalPathsAreUsedInPlace() throws Exception {
        assertThat(BundleLocator.defaultCacheRoot().getFileName().toString())
                .startsWith("bert-stream-bundles-")
                .endsWith(System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
        assertThat(BundleLocator.isRemote("s3://bucket/models/v2")).isTrue();
        assertThat(BundleLocator.isRemote(tmp.toString())).isFalse();
        assertThat(BundleLocator.localDirectory(tmp.toString(), tmp.resolve("cache")))
                .isEqualTo(tmp.toAbsolutePath());
    }
}
