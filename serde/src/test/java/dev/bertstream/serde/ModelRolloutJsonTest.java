package dev.bertstream.serde;

import dev.bertstream.events.ModelRollout;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRolloutJsonTest {

    static final String SHA = "ab".repeat(32);

    @Test
    void aFormattedRolloutParsesBackEqual() {
        ModelRollout r = new ModelRollout("/models/chat-2", "2", SHA);
        assertThat(ModelRolloutJson.parse(bytes(ModelRolloutJson.format(r)))).isEqualTo(r);
    }

    @Test
    void theDigestIsReadInLowerCase() {
        ModelRollout r =
                ModelRolloutJson.parse(
                        bytes(
                                "{\"bundle_uri\":\"b\",\"version\":\"1\",\"sha256\":\""
                                        + SHA.toUpperCase()
                                        + "\"}"));
        assertThat(r.getSha256()).isEqualTo(SHA);
    }

    @Test
    void aMissingFieldIsNamed() {
        assertThatThrownBy(
                        () ->
                                ModelRolloutJson.parse(
                                        bytes("{\"bundle_uri\":\"b\",\"sha256\":\"" + SHA + "\"}")))
                .hasMessageContaining("'version'");
    }

    @Test
    void anUnknownFieldAndABadDigestAreRefused() {
        assertThatThrownBy(
                        () ->
                                ModelRolloutJson.parse(
                                        bytes(
                                                "{\"bundle_uri\":\"b\",\"version\":\"1\",\"sha256\":\""
                                                        + SHA
                                                        + "\",\"lang\":\"zh\"}")))
                .hasMessageContaining("unknown field 'lang'");
        assertThatThrownBy(
                        () ->
                                ModelRolloutJson.parse(
                                        bytes(
                                                "{\"bundle_uri\":\"b\",\"version\":\"1\",\"sha256\":\"xyz\"}")))
                .hasMessageContaining("64 hex characters");
        assertThatThrownBy(() -> ModelRolloutJson.parse(bytes("not json")))
                .hasMessageContaining("not JSON");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
