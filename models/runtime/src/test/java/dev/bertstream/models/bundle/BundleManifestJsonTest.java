package dev.bertstream.models.bundle;

import dev.bertstream.models.weights.BertConfig;

import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bundle.json as {@link BundleWriter} writes it, against golden files written before the manifest
 * had a builder: a default bundle's (float32) and one with every field set (int8, precision gate,
 * distillation).
 */
class BundleManifestJsonTest {

    static final String DEFAULT_BUNDLE = "/bundle/default-v4.bundle.json";
    static final String FULL_BUNDLE = "/bundle/int8-distilled.bundle.json";

    /** A manifest with every field set. */
    static BundleManifest full() {
        return new BundleManifest(
                BundleManifest.CURRENT_FORMAT,
                "student",
                "3",
                new BundleManifest.Encoder(
                        "distilled", new BertConfig(100, 8, 2, 2, 16, 32, 2, 1e-12), "gelu"),
                64,
                "mean",
                "head-tail",
                List.of(
                        new BundleManifest.Task("intent", List.of("a", "b"), "oos", 0.5),
                        BundleManifest.Task.multiLabel(
                                "topics", List.of("x", "y", "z"), List.of(0.4, 0.5, 0.6))),
                "tokenizer.json",
                "saved_model",
                new TreeMap<>(Map.of("tokenizer.json", "00", "saved_model/saved_model.pb", "11")),
                "int8",
                new PrecisionGate(
                        "student 3 sha256:ab",
                        0.995,
                        0.005,
                        List.of(
                                new PrecisionGate.TaskCheck(
                                        "intent", "dev.tsv", 72, 0.9986, 0.91, 0.908),
                                new PrecisionGate.TaskCheck(
                                        "intent", "texts.tsv", 10, 1.0, null, null))),
                new DistillationInfo(
                        "teacher 7",
                        "cd",
                        List.of(1, 3),
                        1000,
                        250,
                        2.0,
                        new DistillationInfo.Gate(
                                true,
                                0.995,
                                0.005,
                                List.of(
                                        new DistillationInfo.GateTask(
                                                "intent", "dev.tsv", 72, 1.0, 0.9, 0.9)))));
    }

    static byte[] write(BundleManifest m) throws IOException {
        return ModelBundle.MAPPER
                .writer()
                .with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(m);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BundleManifestJsonTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void writesTheGoldenBytesOfAManifestWithEveryField() throws IOException {
        assertThat(new String(write(full()), StandardCharsets.UTF_8))
                .isEqualTo(new String(resource(FULL_BUNDLE), StandardCharsets.UTF_8));
    }

    @Test
    void readsAndRewritesWrittenBundleJsonByteForByte() throws IOException {
        for (String name : List.of(DEFAULT_BUNDLE, FULL_BUNDLE)) {
            byte[] golden = resource(name);
            BundleManifest read = ModelBundle.MAPPER.readValue(golden, BundleManifest.class);
            assertThat(new String(write(read), StandardCharsets.UTF_8))
                    .as(name)
                    .isEqualTo(new String(golden, StandardCharsets.UTF_8));
        }
    }

    @Test
    void toBuilderCopiesEveryField() throws IOException {
        BundleManifest copy = full().toBuilder().build();
        assertThat(copy).isEqualTo(full());
        assertThat(write(copy)).isEqualTo(resource(FULL_BUNDLE));
    }

    @Test
    void builderSetsEveryFieldItsCanonicalConstructorTakes() {
        BundleManifest m = full();
        BundleManifest built =
                BundleManifest.builder()
                        .name(m.name())
                        .version(m.version())
                        .encoder(m.encoder())
                        .maxSeqLength(m.maxSeqLength())
                        .pooling(m.pooling())
                        .truncation(m.truncation())
                        .tasks(m.tasks())
                        .tokenizer(m.tokenizer())
                        .savedModel(m.savedModel())
                        .files(m.files())
                        .precision(m.precision())
                        .precisionGate(m.precisionGate())
                        .distillation(m.distillation())
                        .build();
        assertThat(built).isEqualTo(m);
        assertThat(BundleManifest.builder().build().format())
                .isEqualTo(BundleManifest.CURRENT_FORMAT);
    }

    @Test
    void withMethodsChangeOnlyTheirField() {
        BundleManifest m = full();
        BundleManifest ungated = m.withPrecisionGate(null);
        assertThat(ungated.precisionGate()).isNull();
        assertThat(ungated.withPrecisionGate(m.precisionGate())).isEqualTo(m);

        BundleManifest refiled = m.withFiles(Map.of("tokenizer.json", "ff"));
        assertThat(refiled.files()).containsExactly(Map.entry("tokenizer.json", "ff"));
        assertThat(refiled.withFiles(m.files())).isEqualTo(m);
    }
}
