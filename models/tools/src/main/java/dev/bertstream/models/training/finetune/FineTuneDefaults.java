package dev.bertstream.models.training.finetune;

import org.apache.flink.annotation.Internal;

import java.util.Arrays;

/**
 * The rules that pick fine-tuning settings a user did not give, from the data and the encoder. They
 * are fitted to the best recipes of docs/MODELS.md ("Fine-tuned encoder"): about 40,000 examples
 * seen (Banking77 4 epochs of 9k, CLINC150 3 of 15k, Davidson 2 of 20k, COLD 1 of 26k), peak rate
 * 1e-4 for the 384-wide MiniLM-L6 and bge-small-en, and max tokens that keep nearly every text
 * whole.
 *
 * <pre>{@code
 * int epochs = FineTuneDefaults.epochs(9_067);            // 4
 * int maxLen = FineTuneDefaults.maxTokens(lengths, 512);  // p95 of lengths, rounded up to 16
 * }</pre>
 */
@Internal
public final class FineTuneDefaults {

    /** Training examples seen over the whole run, whatever the data size (about 1,250 updates). */
    public static final int EXAMPLE_BUDGET = 40_000;

    /** Epochs at most: small sets get several passes, not dozens. */
    public static final int MAX_EPOCHS = 5;

    /** Dev evaluations (checkpoint candidates) over the run when the user gives none. */
    public static final int TARGET_EVALUATIONS = 6;

    /** Share of training texts a chosen max length keeps whole. */
    public static final double LENGTH_QUANTILE = 0.95;

    /**
     * Max tokens chosen at most: attention costs grow with the square of the length, and 256 kept
     * 89% of ChnSentiCorp's long hotel reviews whole (docs/MODELS.md).
     */
    public static final int MAX_CHOSEN_TOKENS = 256;

    /** Texts that the warm start embeds at most per task, so large sets stay cheap. */
    public static final int WARM_START_SAMPLE = 10_000;

    private FineTuneDefaults() {}

    /**
     * Epochs for {@code trainExamples} training examples (all tasks): {@link #EXAMPLE_BUDGET}
     * examples seen, rounded to whole epochs, between 1 and {@link #MAX_EPOCHS}.
     */
    public static int epochs(int trainExamples) {
        if (trainExamples < 1) {
            throw new IllegalArgumentException("No training examples");
        }
        long rounded = Math.round((double) EXAMPLE_BUDGET / trainExamples);
        return (int) Math.max(1, Math.min(MAX_EPOCHS, rounded));
    }

    /** Dev evaluations per epoch so that a run of {@code epochs} has about six, 1 to 4 each. */
    public static int evalsPerEpoch(int epochs) {
        int perEpoch = (int) Math.ceil((double) TARGET_EVALUATIONS / epochs);
        return Math.max(1, Math.min(4, perEpoch));
    }

    /**
     * Peak learning rate for an encoder of width {@code hiddenSize}: 1e-4 for small encoders (up to
     * 384, MiniLM-L6 and bge-small-en, measured best), 5e-5 up to BERT-base's 768 (so the 512-wide
     * bge-small-zh, whose recipes used 1e-4; on COLD the defaults came within 0.2 point of them),
     * 3e-5 above (BERT's own recommendations for base and large).
     */
    public static double learningRate(int hiddenSize) {
        if (hiddenSize <= 384) {
            return 1e-4;
        }
        return hiddenSize <= 768 ? 5e-5 : 3e-5;
    }

    /**
     * Max tokens from the training texts' token counts ({@code [CLS]} and {@code [SEP]} included,
     * counted without a limit): the {@link #LENGTH_QUANTILE} quantile rounded up to a multiple of
     * 16, at least 16, at most {@link #MAX_CHOSEN_TOKENS} and {@code encoderLimit}.
     */
    public static int maxTokens(int[] lengths, int encoderLimit) {
        if (lengths.length == 0) {
            throw new IllegalArgumentException("No training texts");
        }
        int q = quantile(lengths, LENGTH_QUANTILE);
        int rounded = Math.max(16, (q + 15) / 16 * 16);
        return Math.min(rounded, Math.min(MAX_CHOSEN_TOKENS, encoderLimit));
    }

    /** The {@code q} quantile (nearest rank) of {@code values}. */
    static int quantile(int[] values, double q) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
