package dev.bertstream.app.cli;

import dev.bertstream.events.ModelRollout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolloutCommandTest {

    @TempDir Path dir;

    @Test
    void aLocalBundleGivesItsDeclaredVersionAndManifestDigest() throws Exception {
        byte[] manifest = "{\"name\":\"m\",\"version\":\"7\"}".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("bundle.json"), manifest);
        ModelRollout r = RolloutCommand.rolloutOf(dir.toString(), null, null);
        assertThat(r.getVersion()).isEqualTo("7");
        assertThat(r.getSha256())
                .isEqualTo(
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(manifest)));
        assertThat(r.getBundleUri()).isEqualTo(dir.toString());
    }

    @Test
    void aVersionOtherThanTheDeclaredOneIsRefused() throws Exception {
        Files.writeString(dir.resolve("bundle.json"), "{\"version\":\"7\"}");
        assertThatThrownBy(() -> RolloutCommand.rolloutOf(dir.toString(), "8", null))
                .hasMessageContaining("declares version 7, not 8");
    }

    @Test
    void aRemoteBundleNeedsItsVersionAndDigest() throws Exception {
        assertThatThrownBy(() -> RolloutCommand.rolloutOf("s3://models/chat/2", "2", null))
                .hasMessageContaining("--version and --sha256 are required");
        ModelRollout r = RolloutCommand.rolloutOf("s3://models/chat/2", "2", "AB".repeat(32));
        assertThat(r.getSha256()).isEqualTo("ab".repeat(32));
    }
}
