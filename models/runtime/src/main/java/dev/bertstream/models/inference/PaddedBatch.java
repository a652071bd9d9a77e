package dev.bertstream.models.inference;

import dev.bertstream.models.graph.EncoderGraph;
import dev.bertstream.models.tokenizer.TokenizedText;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.Arrays;
import java.util.List;

/**
 * Some tokenized texts padded to their own longest one: the three {@code [rows, width]} int inputs
 * of the encoder, row-major, padding 0 with attention mask 0.
 */
@PublicEvolving
public record PaddedBatch(
        int rows, int width, int[] inputIds, int[] attentionMask, int[] tokenTypeIds) {

    /** Pads {@code texts[indices[0]], texts[indices[1]], ...} in that order. */
    public static PaddedBatch of(List<TokenizedText> texts, int[] indices) {
        return of(texts, indices, 1, Integer.MAX_VALUE);
    }

    /**
     * Pads as {@link #of(List, int[])}, to the longest text's length rounded up to a multiple of
     * {@code widthMultiple} but never past {@code maxWidth} (the encoder's positions). Rounding
     * widths to a few values lets oneDNN reuse its cached kernels (primitives) instead of creating
     * new ones for every width; the extra columns are masked padding, so real tokens compute the
     * same values.
     */
    public static PaddedBatch of(
            List<TokenizedText> texts, int[] indices, int widthMultiple, int maxWidth) {
        if (widthMultiple < 1) {
            throw new IllegalArgumentException("width multiple must be >= 1, got " + widthMultiple);
        }
        int longest = 0;
        for (int idx : indices) {
            longest = Math.max(longest, texts.get(idx).length());
        }
        int rounded = (longest + widthMultiple - 1) / widthMultiple * widthMultiple;
        int width = Math.max(longest, Math.min(rounded, maxWidth));
        int rows = indices.length;
        int[] ids = new int[rows * width];
        int[] mask = new int[rows * width];
        int[] types = new int[rows * width];
        for (int r = 0; r < rows; r++) {
            TokenizedText t = texts.get(indices[r]);
            int n = t.length();
            System.arraycopy(t.inputIds(), 0, ids, r * width, n);
            System.arraycopy(t.typeIds(), 0, types, r * width, n);
            Arrays.fill(mask, r * width, r * width + n, 1);
        }
        return new PaddedBatch(rows, width, ids, mask, types);
    }

    /** Tokens computed for this batch, padding included. */
    public long computedTokens() {
        return (long) rows * width;
    }

    /** The batch as TensorFlow tensors; close them after the run. */
    public Tensors tensors() {
        Shape shape = Shape.of(rows, width);
        return new Tensors(
                TInt32.tensorOf(shape, DataBuffers.of(inputIds, true, false)),
                TInt32.tensorOf(shape, DataBuffers.of(attentionMask, true, false)),
                TInt32.tensorOf(shape, DataBuffers.of(tokenTypeIds, true, false)));
    }

    /** Splits a {@code [rows, cols]} float tensor into rows. */
    public static float[][] rows(TFloat32 tensor) {
        int rows = (int) tensor.shape().get(0);
        int cols = (int) tensor.shape().get(1);
        float[] flat = new float[rows * cols];
        tensor.copyTo(DataBuffers.of(flat, false, false));
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /** The fed tensors of one batch. */
    public record Tensors(TInt32 inputIds, TInt32 attentionMask, TInt32 tokenTypeIds)
            implements AutoCloseable {

        /** Feeds the batch to the inputs of {@code graph}. */
        public Session.Runner feed(Session.Runner runner, EncoderGraph graph) {
            return runner.feed(graph.inputIds(), inputIds)
                    .feed(graph.attentionMask(), attentionMask)
                    .feed(graph.tokenTypeIds(), tokenTypeIds);
        }

        /** Feeds the batch to the graph tensors with these names ({@code op:index}). */
        public Session.Runner feed(Session.Runner runner, String ids, String mask, String types) {
            return runner.feed(ids, inputIds).feed(mask, attentionMask).feed(types, tokenTypeIds);
        }

        @Override
        public void close() {
            inputIds.close();
            attentionMask.close();
            tokenTypeIds.close();
        }
    }
}
