package dev.bertstream.models.bundle;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** TensorFlow's rule for turning oneDNN on, as {@link OneDnnSupport} mirrors it. */
class OneDnnSupportTest {

    private static final Set<String> AVX2_ONLY = Set.of("avx", "avx2", "fma", "f16c");
    private static final Set<String> ZEN4 = Set.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16");

    @Test
    void cpuWithoutNeuralNetworkFlagsRunsEigenUnlessTheVariableSaysOtherwise() {
        assertThat(OneDnnSupport.enabled(null, AVX2_ONLY)).isFalse();
        assertThat(OneDnnSupport.enabled("", AVX2_ONLY)).isFalse();
        assertThat(OneDnnSupport.enabled("1", AVX2_ONLY)).isTrue();
        assertThat(OneDnnSupport.enabled("true", AVX2_ONLY)).isTrue();
    }

    @Test
    void vnniOrBf16CpuRunsOneDnnUnlessTurnedOff() {
        assertThat(OneDnnSupport.enabled(null, ZEN4)).isTrue();
        assertThat(OneDnnSupport.enabled("0", ZEN4)).isFalse();
        assertThat(OneDnnSupport.enabled("false", ZEN4)).isFalse();
        assertThat(OneDnnSupport.enabled(null, Set.of("amx_tile"))).isTrue();
    }
}
