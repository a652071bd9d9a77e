package dev.bertstream.models.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Int8KernelTest {

    private static WeightTensor random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * (1 + i % cols);
        }
        return new WeightTensor(new long[] {rows, cols}, w);
    }

    @Test
    void everyWeightIsWithinHalfAStepOfItsColumnScale() {
        WeightTensor w = random(37, 5, 1);
        Int8Kernel q = Int8Kernel.quantize(w, Int8Kernel.DEFAULT_LEVELS);
        WeightTensor back = q.dequantize();
        for (int i = 0; i < w.data().length; i++) {
            float step = q.scales()[i % 5];
            assertThat(Math.abs(back.data()[i] - w.data()[i]))
                    .isLessThanOrEqualTo(step / 2 + 1e-7f);
        }
    }

    @Test
    void scalesArePerOutputColumnAndTheLargestWeightUsesEveryLevel() {
        WeightTensor w = random(20, 4, 2);
        Int8Kernel q = Int8Kernel.quantize(w, 63);
        for (int c = 0; c < 4; c++) {
            float max = 0;
            int maxLevel = 0;
            for (int r = 0; r < 20; r++) {
                max = Math.max(max, Math.abs(w.data()[r * 4 + c]));
                maxLevel = Math.max(maxLevel, Math.abs(q.values()[r * 4 + c]));
            }
            assertThat(q.scales()[c])
                    .isCloseTo(max / 63, org.assertj.core.data.Offset.offset(1e-7f));
            assertThat(maxLevel).isEqualTo(63);
        }
    }

    @Test
    void zeroColumnQuantisesToZerosAndColumnSumsAddTheValues() {
        float[] data = {0, 1, 0, -2, 0, 3};
        Int8Kernel q = Int8Kernel.quantize(new WeightTensor(new long[] {3, 2}, data), 3);
        assertThat(q.values()).containsExactly(0, 1, 0, -2, 0, 3);
        assertThat(q.columnSums()).containsExactly(0f, 2f);
        assertThat(q.dequantize().data()).containsExactly(data);
    }

    @Test
    void fewerLevelsCoarsenTheKernel() {
        WeightTensor w = random(64, 8, 3);
        double fine = error(w, Int8Kernel.quantize(w, 127));
        double coarse = error(w, Int8Kernel.quantize(w, 2));
        assertThat(coarse).isGreaterThan(20 * fine);
    }

    @Test
    void rejectsLevelsOutsideInt8() {
        WeightTensor w = random(2, 2, 4);
        assertThatThrownBy(() -> Int8Kernel.quantize(w, 128))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Int8Kernel.quantize(w, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double error(WeightTensor w, Int8Kernel q) {
        double sum = 0;
        float[] back = q.dequantize().data();
        for (int i = 0; i < back.length; i++) {
            sum += Math.abs(back[i] - w.data()[i]);
        }
        return sum;
    }
}
