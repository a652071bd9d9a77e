package dev.bertstream.models.training;

import dev.bertstream.models.bundle.BundleWriter;
import dev.bertstream.models.imports.PretrainedEncoder;
import dev.bertstream.models.testutils.RandomBertWeights;
import dev.bertstream.models.testutils.TestEncoders;
import dev.bertstream.models.training.DefaultBundle.Language;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which encoder a rebuild of a default bundle for a newer {@link DefaultBundle#VERSION} keeps. */
class DefaultBundleTest {

    @TempDir Path bundles;

    @Test
    void aRebuildKeepsTheEncoderOfTheNewestEarlierVersion() throws Exception {
        int current = Integer.parseInt(DefaultBundle.VERSION);
        bundleOn(PretrainedEncoder.MINILM_L6, "default-v" + (current - 2));
        bundleOn(PretrainedEncoder.BGE_SMALL_EN, "default-v" + (current - 1));
        bundleOn(PretrainedEncoder.MINILM_L6, "default-zh-v" + (current - 1));

        assertThat(DefaultBundle.previousChoice(Language.ENGLISH, bundles))
                .isEqualTo(PretrainedEncoder.BGE_SMALL_EN);
    }

    @Test
    void theCurrentVersionAndDamagedEarlierBundlesAreSkipped() throws Exception {
        int current = Integer.parseInt(DefaultBundle.VERSION);
        bundleOn(PretrainedEncoder.MINILM_L6, "default-v" + current);
        bundleOn(PretrainedEncoder.BGE_SMALL_EN, "default-v" + (current - 2));
        Path damaged = Files.createDirectories(bundles.resolve("default-v" + (current - 1)));
        Files.writeString(damaged.resolve("bundle.json"), "{\"format\": 1, \"name\"");

        assertThat(DefaultBundle.previousChoice(Language.ENGLISH, bundles))
                .isEqualTo(PretrainedEncoder.BGE_SMALL_EN);
    }

    @Test
    void bundlesThatDoNotNameTheirEncoderLeaveTheDefault() throws Exception {
        int current = Integer.parseInt(DefaultBundle.VERSION);
        // As bundles built before the source named the encoder.
        bundleWithSource("default", "default-v" + (current - 1));

        assertThat(DefaultBundle.previousChoice(Language.ENGLISH, bundles)).isNull();
        assertThat(DefaultBundle.previousChoice(Language.ENGLISH, bundles.resolve("absent")))
                .isNull();
    }

    private void bundleOn(PretrainedEncoder encoder, String dir) throws IOException {
        bundleWithSource(encoder.sourceDescription(), dir);
    }

    /** A tiny real bundle whose manifest records {@code source} as its encoder's. */
    private void bundleWithSource(String source, String dir) throws IOException {
        BundleWriter.builder(
                        RandomBertWeights.create(RandomBertWeights.tinyConfig(), 1),
                        TestEncoders.tinyTokenizer())
                .source(source)
                .write(bundles.resolve(dir));
    }
}
