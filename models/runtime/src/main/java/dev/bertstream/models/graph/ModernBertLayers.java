package dev.bertstream.models.graph;

import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.RotaryAttention;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.bertstream.models.weights.BertWeights.layer;

/**
 * ModernBERT's transformer blocks, after Hugging Face's {@code ModernBertModel}: pre-LayerNorm
 * residual blocks (layer 0 has no attention norm), rotary position embeddings on queries and keys
 * (one base for global layers, another for sliding-window ones), sliding-window attention on every
 * layer but each {@code global_attn_every_n_layers}-th, a GeGLU feed-forward ({@code act(x·Wi_in) ⊙
 * x·Wi_gate}), and a final LayerNorm. Hidden states stay {@code [batch·seq, hidden]} as in {@link
 * BertGraphBuilder}. Attention-probability dropout is not applied (ModernBERT trains without it).
 */
final class ModernBertLayers {

    private static final float MASKED = -1e9f;

    private final Ops tf;
    private final BertConfig config;
    private final RotaryAttention rotary;
    private final Function<String, Operand<TFloat32>> weight;
    private final BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> dropHidden;
    private final Activation activation;

    ModernBertLayers(
            Ops tf,
            BertConfig config,
            Function<String, Operand<TFloat32>> weight,
            BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> dropHidden,
            Activation activation) {
        this.tf = tf;
        this.config = config;
        this.rotary = config.rotary();
        this.weight = weight;
        this.dropHidden = dropHidden;
        this.activation = activation;
    }

    /** Runs every block and the final norm over the embedded tokens. */
    Operand<TFloat32> encode(
            Operand<TFloat32> hidden,
            Operand<TFloat32> maskFloat,
            Operand<TInt32> batch,
            Operand<TInt32> seqLen,
            Operand<TInt32> batchBySeq) {
        Ops m = tf.withSubScope("attention_masks");
        // [batch, 1, 1, seq]: 1 for real keys.
        Operand<TFloat32> keys =
                m.reshape(
                        maskFloat,
                        m.concat(
                                List.of(
                                        m.reshape(batch, m.constant(new int[] {1})),
                                        m.constant(new int[] {1, 1, -1})),
                                m.constant(0)));
        Operand<TFloat32> globalMask =
                m.math.mul(m.math.sub(m.constant(1f), keys), m.constant(MASKED));
        Operand<TInt32> positions = m.range(m.constant(0), seqLen, m.constant(1));
        Operand<TInt32> distance =
                m.math.abs(
                        m.math.sub(
                                m.expandDims(positions, m.constant(1)),
                                m.expandDims(positions, m.constant(0))));
        Operand<TFloat32> inWindow =
                m.dtypes.cast(
                        m.math.lessEqual(distance, m.constant(rotary.localWindow() / 2)),
                        TFloat32.class);
        // A key is masked when padded or outside the window, with one value either way, as the
        // Hugging Face sliding-window mask fills it.
        Operand<TFloat32> localMask =
                m.math.mul(
                        m.math.sub(m.constant(1f), m.math.mul(keys, inWindow)), m.constant(MASKED));
        Operand<TFloat32> positionsF = m.dtypes.cast(positions, TFloat32.class);
        Operand<TFloat32>[] globalRope = rope(m, positionsF, rotary.globalTheta());
        Operand<TFloat32>[] localRope = rope(m, positionsF, rotary.localTheta());

        for (int i = 0; i < config.numLayers(); i++) {
            boolean global = rotary.isGlobal(i);
            hidden =
                    block(
                            tf.withSubScope("layer_" + i),
                            i,
                            hidden,
                            global ? globalMask : localMask,
                            global ? globalRope : localRope,
                            batchBySeq);
        }
        return norm(tf.withSubScope("final_norm"), hidden, "final_norm");
    }

    private Operand<TFloat32> block(
            Ops l,
            int i,
            Operand<TFloat32> x,
            Operand<TFloat32> additiveMask,
            Operand<TFloat32>[] cosSin,
            Operand<TInt32> batchBySeq) {
        int heads = config.numHeads();
        int headSize = config.headSize();
        Operand<TInt32> splitHeads =
                l.concat(
                        List.of(batchBySeq, l.constant(new int[] {heads, headSize})),
                        l.constant(0));
        Operand<TInt32> toHeads = l.constant(new int[] {0, 2, 1, 3});
        Operand<TFloat32> h = i == 0 ? x : norm(l, x, layer(i, "attention.input_norm"));
        Operand<TFloat32> q =
                rotate(
                        l,
                        l.linalg.transpose(
                                l.reshape(
                                        dense(l, h, layer(i, "attention.self.query")), splitHeads),
                                toHeads),
                        cosSin);
        Operand<TFloat32> k =
                rotate(
                        l,
                        l.linalg.transpose(
                                l.reshape(dense(l, h, layer(i, "attention.self.key")), splitHeads),
                                toHeads),
                        cosSin);
        Operand<TFloat32> v =
                l.linalg.transpose(
                        l.reshape(dense(l, h, layer(i, "attention.self.value")), splitHeads),
                        toHeads);
        Operand<TFloat32> scores =
                l.math.add(
                        l.math.mul(
                                l.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
                                l.constant((float) (1.0 / Math.sqrt(headSize)))),
                        additiveMask);
        Operand<TFloat32> context = l.train.batchMatMul(l.nn.softmax(scores), v, TFloat32.class);
        Operand<TFloat32> merged =
                l.reshape(
                        l.linalg.transpose(context, toHeads),
                        l.constant(new int[] {-1, config.hiddenSize()}));
        Operand<TFloat32> attended =
                l.math.add(
                        x,
                        dropHidden.apply(l, dense(l, merged, layer(i, "attention.output.dense"))));

        Operand<TFloat32> normed = norm(l, attended, layer(i, "mlp_norm"));
        Operand<TFloat32> glu =
                l.math.mul(
                        BertGraphBuilder.activate(
                                l, dense(l, normed, layer(i, "intermediate.dense")), activation),
                        dense(l, normed, layer(i, "intermediate.gate")));
        return l.math.add(attended, dropHidden.apply(l, dense(l, glu, layer(i, "output.dense"))));
    }

    /**
     * cos and sin of {@code position · inv_freq}, with the frequencies repeated over both halves of
     * a head ({@code [seq, headSize]}, broadcast over batch and heads).
     */
    @SuppressWarnings("unchecked")
    private Operand<TFloat32>[] rope(Ops o, Operand<TFloat32> positions, double theta) {
        int d = config.headSize();
        float[] invFreq = new float[d / 2];
        for (int j = 0; j < d / 2; j++) {
            invFreq[j] = (float) (1.0 / Math.pow(theta, (2.0 * j) / d));
        }
        Operand<TFloat32> freqs =
                o.math.mul(
                        o.expandDims(positions, o.constant(1)),
                        o.constant(new float[][] {invFreq}));
        Operand<TFloat32> emb = o.concat(List.of(freqs, freqs), o.constant(1));
        return new Operand[] {o.math.cos(emb), o.math.sin(emb)};
    }

    /** {@code x·cos + rotate_half(x)·sin}, rotate_half(x) = {@code [-x₂, x₁]} over the halves. */
    private Operand<TFloat32> rotate(Ops o, Operand<TFloat32> x, Operand<TFloat32>[] cosSin) {
        int d = config.headSize();
        int[] perm = new int[d];
        float[] sign = new float[d];
        for (int j = 0; j < d; j++) {
            perm[j] = (j + d / 2) % d;
            sign[j] = j < d / 2 ? -1f : 1f;
        }
        Operand<TFloat32> rotated =
                o.math.mul(o.gather(x, o.constant(perm), o.constant(3)), o.constant(sign));
        return o.math.add(o.math.mul(x, cosSin[0]), o.math.mul(rotated, cosSin[1]));
    }

    private Operand<TFloat32> dense(Ops o, Operand<TFloat32> x, String prefix) {
        return o.math.add(
                o.linalg.matMul(x, weight.apply(prefix + ".kernel")),
                weight.apply(prefix + ".bias"));
    }

    private Operand<TFloat32> norm(Ops o, Operand<TFloat32> x, String prefix) {
        return BertGraphBuilder.layerNorm(
                o,
                x,
                weight.apply(prefix + ".weight"),
                weight.apply(prefix + ".bias"),
                config.layerNormEps());
    }
}
