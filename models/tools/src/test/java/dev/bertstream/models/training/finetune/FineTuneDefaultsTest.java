package dev.bertstream.models.training.finetune;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FineTuneDefaultsTest {

    @Test
    void epochsGiveAboutFortyThousandExamplesBetweenOneAndFiveEpochs() {
        assertThat(FineTuneDefaults.epochs(9_067)).isEqualTo(4); // Banking77
        assertThat(FineTuneDefaults.epochs(15_098)).isEqualTo(3); // CLINC150
        assertThat(FineTuneDefaults.epochs(19_931)).isEqualTo(2); // Davidson
        assertThat(FineTuneDefaults.epochs(43_311)).isEqualTo(1); // GoEmotions
        assertThat(FineTuneDefaults.epochs(60_607)).isEqualTo(1); // SST-2
        assertThat(FineTuneDefaults.epochs(6_254)).isEqualTo(5); // ChnSentiCorp: capped
        assertThat(FineTuneDefaults.epochs(200)).isEqualTo(FineTuneDefaults.MAX_EPOCHS);
        assertThat(FineTuneDefaults.epochs(1_000_000)).isEqualTo(1);
    }

    @Test
    void evaluationsAreSpreadToAboutSixPerRun() {
        assertThat(FineTuneDefaults.evalsPerEpoch(1)).isEqualTo(4);
        assertThat(FineTuneDefaults.evalsPerEpoch(2)).isEqualTo(3);
        assertThat(FineTuneDefaults.evalsPerEpoch(4)).isEqualTo(2);
        assertThat(FineTuneDefaults.evalsPerEpoch(10)).isEqualTo(1);
    }

    @Test
    void learningRateFollowsTheEncoderWidth() {
        assertThat(FineTuneDefaults.learningRate(384)).isEqualTo(1e-4);
        assertThat(FineTuneDefaults.learningRate(768)).isEqualTo(5e-5);
        assertThat(FineTuneDefaults.learningRate(1024)).isEqualTo(3e-5);
    }

    @Test
    void maxTokensIsThe95thPercentileRoundedUpTo16() {
        // 100 texts: 95 of 20..37 tokens, 5 outliers of 400: p95 is 37, rounded up to 48.
        int[] lengths = IntStream.range(0, 100).map(i -> i < 95 ? 20 + i % 18 : 400).toArray();
        assertThat(FineTuneDefaults.maxTokens(lengths, 512)).isEqualTo(48);
        // Exactly a multiple of 16 stays.
        assertThat(FineTuneDefaults.maxTokens(new int[] {64, 64, 64}, 512)).isEqualTo(64);
    }

    @Test
    void maxTokensIsCappedByTheEncoderAndTheCostLimitAndAtLeast16() {
        int[] longTexts = IntStream.range(0, 50).map(i -> 300 + i).toArray();
        assertThat(FineTuneDefaults.maxTokens(longTexts, 512))
                .isEqualTo(FineTuneDefaults.MAX_CHOSEN_TOKENS);
        assertThat(FineTuneDefaults.maxTokens(longTexts, 128)).isEqualTo(128);
        assertThat(FineTuneDefaults.maxTokens(new int[] {3, 4, 5}, 512)).isEqualTo(16);
    }

    @Test
    void unsetOptionsAreChosenFromTheDataAndGivenOnesKept() {
        FineTuneOptions chosen = FineTuneOptions.builder().build(9_067, 384);
        assertThat(chosen.epochs()).isEqualTo(4);
        assertThat(chosen.learningRate()).isEqualTo(1e-4);
        assertThat(chosen.evalsPerEpoch()).isEqualTo(2);
        FineTuneOptions given =
                FineTuneOptions.builder().epochs(2).learningRate(3e-5).build(9_067, 384);
        assertThat(given.epochs()).isEqualTo(2);
        assertThat(given.learningRate()).isEqualTo(3e-5);
        assertThat(given.evalsPerEpoch()).isEqualTo(3);
    }
}
