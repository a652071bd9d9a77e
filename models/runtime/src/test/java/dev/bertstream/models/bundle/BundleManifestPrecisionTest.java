package dev.bertstream.models.bundle;

import dev.bertstream.models.weights.BertConfig;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code precision} and {@code precision_gate} fields of bundle.json. */
class BundleManifestPrecisionTest {

    private static BundleManifest manifest(String precision, PrecisionGate gate) {
        return new BundleManifest(
                BundleManifest.CURRENT_FORMAT,
                "m",
                "1",
                new BundleManifest.Encoder(
                        "test", new BertConfig(100, 8, 1, 2, 16, 32, 2, 1e-12), "gelu"),
                32,
                "mean",
                "right",
                List.of(new BundleManifest.Task("intent", List.of("a", "b"), "oos", 0.5)),
                "tokenizer.json",
                "saved_model",
                new java.util.TreeMap<>(Map.of("tokenizer.json", "00")),
                precision,
                gate,
                null);
    }

    @Test
    void int8ManifestWithItsGateRoundTrips() throws Exception {
        PrecisionGate gate =
                new PrecisionGate(
                        "m 1 sha256:ab",
                        0.995,
                        0.005,
                        List.of(
                                new PrecisionGate.TaskCheck(
                                        "intent", "dev.tsv", 72, 0.9986, 0.91, 0.908),
                                new PrecisionGate.TaskCheck(
                                        "intent", "texts.tsv", 10, 1.0, null, null)));
        BundleManifest m = manifest("int8", gate);
        byte[] json = ModelBundle.MAPPER.writeValueAsBytes(m);
        BundleManifest back = ModelBundle.MAPPER.readValue(json, BundleManifest.class);
        assertThat(back).isEqualTo(m);
        assertThat(back.precisionKind()).isEqualTo(Precision.INT8);
        assertThat(back.precisionGate().passed()).isTrue();
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"precision\":\"int8\"")
                .contains("\"reference_macro_f1\":0.91")
                .doesNotContain("\"passed\"");
    }

    @Test
    void manifestWithoutPrecisionIsFloat32AndWritesNoPrecisionField() throws Exception {
        BundleManifest m = manifest(null, null);
        String json = ModelBundle.MAPPER.writeValueAsString(m);
        assertThat(json).doesNotContain("precision");
        assertThat(ModelBundle.MAPPER.readValue(json, BundleManifest.class).precisionKind())
                .isEqualTo(Precision.FLOAT32);
    }

    @Test
    void unknownPrecisionIsRefused() {
        assertThatThrownBy(() -> manifest("int4", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int4");
    }

    @Test
    void gateFailsOnLowAgreementOrALargeMacroF1Drop() {
        PrecisionGate.TaskCheck agreeLow =
                new PrecisionGate.TaskCheck("t", "f", 200, 0.99, 0.8, 0.8);
        PrecisionGate.TaskCheck f1Drop =
                new PrecisionGate.TaskCheck("t", "f", 200, 1.0, 0.80, 0.794);
        PrecisionGate.TaskCheck atLimits =
                new PrecisionGate.TaskCheck("t", "f", 200, 0.995, 0.80, 0.795);
        assertThat(new PrecisionGate("r", 0.995, 0.005, List.of(agreeLow)).passed()).isFalse();
        assertThat(new PrecisionGate("r", 0.995, 0.005, List.of(f1Drop)).passed()).isFalse();
        assertThat(new PrecisionGate("r", 0.995, 0.005, List.of(atLimits)).passed()).isTrue();
    }
}
