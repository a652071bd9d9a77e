package dev.bertstream.models.bundle;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GateLimitsTest {

    private final GateLimits limits = new GateLimits(0.995, 0.005);

    @Test
    void passesAtExactlyBothLimitsEvenWhenTheDropIsRoundedUpInFloat() {
        assertThat(limits.passes(0.995, 0.005)).isTrue();
        assertThat(limits.passes(0.995, 0.80 - 0.795)).isTrue();
    }

    @Test
    void failsBelowTheAgreementOrAboveTheDrop() {
        assertThat(limits.passes(0.9949, 0.0)).isFalse();
        assertThat(limits.passes(1.0, 0.0051)).isFalse();
    }

    @Test
    void aCandidateBetterThanItsReferenceLosesNothing() {
        assertThat(limits.passes(1.0, -0.05)).isTrue();
    }
}
