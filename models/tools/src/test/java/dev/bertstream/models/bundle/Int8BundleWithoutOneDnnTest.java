package dev.bertstream.models.bundle;

import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.RandomBertWeights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Where TensorFlow runs without oneDNN (an AVX2-only CPU, no {@code TF_ENABLE_ONEDNN_OPTS=1}), an
 * int8 bundle can still be written but loading it fails saying how to run it, instead of failing at
 * the first prediction with a missing kernel.
 */
class Int8BundleWithoutOneDnnTest {

    @TempDir Path tmp;

    @Test
    void loadingAnInt8BundleNamesTheOneDnnVariable() throws Exception {
        assumeFalse(OneDnnSupport.enabled(), "oneDNN is on: int8 bundles load here");
        Path tokenizer =
                PretrainedEncoder.MINILM_L6
                        .resolve(Path.of("target", "pretrained"))
                        .tokenizerJson();
        Path dir = tmp.resolve("int8");
        BundleWriter.builder(RandomBertWeights.create(RandomBertWeights.tinyConfig(), 2), tokenizer)
                .precision(Precision.INT8)
                .write(dir);
        assertThat(ModelBundle.readManifest(dir).precisionKind()).isEqualTo(Precision.INT8);
        assertThatThrownBy(() -> ModelBundle.load(dir, SessionSettings.defaults()))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("int8")
                .hasMessageContaining(OneDnnSupport.ENV + "=1");
    }
}
