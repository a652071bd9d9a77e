package dev.bertstream.models.graph;

import dev.bertstream.models.weights.BertConfig;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.FusedQkv;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.bertstream.models.weights.BertWeights.layer;

/**
 * Builds a BERT encoder, pooling and classification heads as one TensorFlow graph.
 *
 * <p>One pass of the encoder serves every task head, so adding a task costs one small matmul, not a
 * second encoder. Hidden states stay rank-2 ({@code [batch·seq, hidden]}) between layers so every
 * dense layer is a single plain MatMul; only attention reshapes to {@code [batch, heads, seq,
 * headSize]}.
 *
 * <pre>{@code
 * EncoderGraph g = BertGraphBuilder.builder(tf, variables, weights)
 *     .pooling(Pooling.MEAN).heads(heads).build();
 * }</pre>
 */
@PublicEvolving
public final class BertGraphBuilder {

    private final Ops tf;
    private final GraphVariables variables;
    private final BertWeights weights;
    private Pooling pooling = Pooling.MEAN;
    private Activation activation = Activation.GELU;
    private List<TaskHead> heads = List.of();
    private Dropout dropout;
    private boolean fused;
    private boolean fusedLayerNorm;
    private int int8Levels;
    private java.util.Set<String> float32Layers = java.util.Set.of();
    private Operand<TInt32> hiddenShape;
    private Operand<TInt32> attentionShape;
    private final List<Operand<TFloat32>> hiddenStates = new ArrayList<>();

    private BertGraphBuilder(Ops tf, GraphVariables variables, BertWeights weights) {
        this.tf = Objects.requireNonNull(tf);
        this.variables = Objects.requireNonNull(variables);
        this.weights = Objects.requireNonNull(weights);
    }

    /**
     * Starts a builder for the encoder with these weights, creating its variables in {@code
     * variables}.
     */
    public static BertGraphBuilder builder(Ops tf, GraphVariables variables, BertWeights weights) {
        return new BertGraphBuilder(tf, variables, weights);
    }

    public BertGraphBuilder pooling(Pooling pooling) {
        this.pooling = Objects.requireNonNull(pooling);
        return this;
    }

    public BertGraphBuilder activation(Activation activation) {
        this.activation = Objects.requireNonNull(activation);
        return this;
    }

    public BertGraphBuilder heads(List<TaskHead> heads) {
        this.heads = List.copyOf(heads);
        return this;
    }

    /**
     * Dropout as in BERT pre-training (embeddings, attention probabilities, both residual branches
     * of every layer, and the pooled vector before the heads). Only the fine-tuning graph sets it;
     * the exported inference graph has none.
     */
    public BertGraphBuilder dropout(Dropout dropout) {
        this.dropout = Objects.requireNonNull(dropout);
        return this;
    }

    /**
     * Builds the encoder in the forms TensorFlow fuses into single kernels (default off): query,
     * key and value as one matmul on a packed kernel (variables {@code
     * encoder.layer.N.attention.self.qkv.kernel/.bias} in place of the three canonical ones), dense
     * layers as {@code MatMul + BiasAdd}, GELU and LayerNorm as the grappler remapper matches them
     * (see {@link FusableOps}). Outputs equal the plain graph's up to float rounding. Inference
     * graphs turn it on; BERT-family encoders only (ModernBERT keeps its own layers).
     */
    public BertGraphBuilder fused(boolean on) {
        this.fused = on;
        return this;
    }

    /**
     * With {@link #fused}, also writes LayerNorm in the Keras form oneDNN fuses into {@code
     * _MklLayerNorm} (default off). Only worth it where TensorFlow runs oneDNN: Eigen runs that
     * form's training-mode batch norm slower than the plain seven ops.
     */
    public BertGraphBuilder fusedLayerNorm(boolean on) {
        this.fusedLayerNorm = on;
        return this;
    }

    /**
     * Runs the encoder's dense layers (query/key/value, attention output, intermediate, output) on
     * int8 kernels quantised per output column to {@code ±levels} ({@link
     * dev.bertstream.models.weights.Int8Kernel#DEFAULT_LEVELS} normally), with activations
     * quantised per batch at run time (see {@link QuantizedDense}); {@code 0} keeps float32, the
     * default. Embeddings, LayerNorm, attention scores, softmax and heads stay float32. The graph
     * runs only where TensorFlow uses oneDNN. BERT-family encoders only.
     */
    public BertGraphBuilder int8(int levels) {
        if (levels < 0 || levels > 127) {
            throw new IllegalArgumentException("int8 levels must be in [0, 127], got " + levels);
        }
        this.int8Levels = levels;
        return this;
    }

    /**
     * With {@link #int8}, keeps these dense layers float32 in every encoder layer: any of {@link
     * #INT8_LAYERS} (the sensitive ones of a model, found by the accuracy gate).
     */
    public BertGraphBuilder float32Layers(java.util.Collection<String> layers) {
        for (String l : layers) {
            if (!INT8_LAYERS.contains(l)) {
                throw new IllegalArgumentException(
                        "Unknown dense layer '" + l + "'; known: " + INT8_LAYERS);
            }
        }
        this.float32Layers = java.util.Set.copyOf(layers);
        return this;
    }

    /** The dense layers of an encoder layer {@link #int8} quantises, by canonical name. */
    public static final List<String> INT8_LAYERS =
            List.of(
                    "attention.self",
                    "attention.output.dense",
                    "intermediate.dense",
                    "output.dense");

    private boolean int8(String layerPrefix) {
        return int8Levels > 0
                && float32Layers.stream().noneMatch(l -> layerPrefix.endsWith("." + l));
    }

    /** Adds the whole graph and returns its named inputs and outputs. */
    public EncoderGraph build() {
        BertConfig c = weights.config();
        if (int8Levels > 0 && (c.isModernBert() || dropout != null)) {
            throw new IllegalStateException(
                    "int8 graphs are for inference of BERT-family encoders, not ModernBERT or"
                            + " training");
        }
        Placeholder<TInt32> inputIds = intInput(SignatureNames.INPUT_IDS);
        Placeholder<TInt32> attentionMask = intInput(SignatureNames.ATTENTION_MASK);
        Placeholder<TInt32> tokenTypeIds = intInput(SignatureNames.TOKEN_TYPE_IDS);

        Operand<TInt32> batchBySeq = tf.shape(inputIds);
        Operand<TInt32> batch = tf.gather(batchBySeq, tf.constant(0), tf.constant(0));
        Operand<TInt32> seqLen = tf.gather(batchBySeq, tf.constant(1), tf.constant(0));
        if (dropout != null) {
            hiddenShape = dims(tf.math.mul(batch, seqLen), tf.constant(c.hiddenSize()));
            attentionShape = dims(batch, tf.constant(c.numHeads()), seqLen, seqLen);
        }
        Operand<TFloat32> hidden = embeddings(inputIds, tokenTypeIds, seqLen);
        hiddenStates.add(hidden);

        // Additive mask [batch, 1, 1, seq]: padding gets a large negative score, so softmax gives
        // it ~0 weight.
        Operand<TFloat32> maskFloat = tf.dtypes.cast(attentionMask, TFloat32.class);
        Operand<TFloat32> additiveMask =
                tf.math.mul(
                        tf.math.sub(
                                tf.constant(1f),
                                tf.reshape(
                                        maskFloat,
                                        dims(
                                                batch,
                                                tf.constant(1),
                                                tf.constant(1),
                                                tf.constant(-1)))),
                        tf.constant(-1e9f));

        if (c.isModernBert()) {
            ModernBertLayers modern =
                    new ModernBertLayers(tf, c, this::weight, this::dropHidden, activation);
            hidden = modern.encode(hidden, maskFloat, batch, seqLen, batchBySeq);
        } else {
            for (int i = 0; i < c.numLayers(); i++) {
                hidden =
                        transformerLayer(
                                tf.withSubScope("layer_" + i), i, hidden, additiveMask, batchBySeq);
                hiddenStates.add(hidden);
            }
        }
        Operand<TFloat32> lastHidden =
                tf.withName(SignatureNames.LAST_HIDDEN_STATE)
                        .reshape(
                                hidden,
                                tf.concat(
                                        List.of(
                                                batchBySeq,
                                                tf.constant(new int[] {c.hiddenSize()})),
                                        tf.constant(0)));
        Operand<TFloat32> embedding =
                tf.withName(SignatureNames.EMBEDDING).identity(pool(lastHidden, maskFloat));
        Operand<TFloat32> headInput =
                dropout == null
                        ? embedding
                        : drop(tf, embedding, dims(batch, tf.constant(c.hiddenSize())));

        Map<String, Operand<TFloat32>> probabilities = new LinkedHashMap<>();
        Map<String, Operand<TFloat32>> logits = new LinkedHashMap<>();
        for (TaskHead head : heads) {
            Operand<TFloat32> x = headInput;
            TaskHead.HiddenLayer hiddenLayer = head.hiddenLayer();
            if (hiddenLayer != null) {
                Ops h = tf.withSubScope("head_" + head.name());
                Operand<TFloat32> dense =
                        h.math.add(
                                h.linalg.matMul(
                                        x,
                                        variables.variable(
                                                head.hiddenKernelName(), hiddenLayer.kernel())),
                                variables.variable(head.hiddenBiasName(), hiddenLayer.bias()));
                x = activate(h, dense, hiddenLayer.activation());
                if (hiddenLayer.hasNorm()) {
                    x =
                            layerNorm(
                                    h,
                                    x,
                                    variables.variable(
                                            head.hiddenNormName() + ".weight",
                                            hiddenLayer.normWeight()),
                                    variables.variable(
                                            head.hiddenNormName() + ".bias",
                                            hiddenLayer.normBias()),
                                    hiddenLayer.normEps());
                }
            }
            Operand<TFloat32> kernel = variables.variable(head.kernelName(), head.kernel());
            Operand<TFloat32> bias = variables.variable(head.biasName(), head.bias());
            Operand<TFloat32> z =
                    tf.withName(SignatureNames.logits(head.name()))
                            .math
                            .add(tf.linalg.matMul(x, kernel), bias);
            logits.put(head.name(), z);
            Ops named = tf.withName(SignatureNames.probabilities(head.name()));
            probabilities.put(
                    head.name(),
                    head.activation() == HeadActivation.SIGMOID
                            ? named.math.sigmoid(z)
                            : named.nn.softmax(z));
        }
        return new EncoderGraph(
                inputIds,
                attentionMask,
                tokenTypeIds,
                lastHidden,
                embedding,
                logits,
                probabilities);
    }

    /**
     * After {@link #build}, the hidden states as Hugging Face's {@code output_hidden_states} lists
     * them: the embedding output, then the output of each layer, every one {@code [batch·seq,
     * hidden]}. Distillation matches a student's layers to a teacher's through them. BERT-family
     * encoders only: for ModernBERT the list holds the embedding output alone.
     */
    public List<Operand<TFloat32>> hiddenStates() {
        return List.copyOf(hiddenStates);
    }

    private Placeholder<TInt32> intInput(String name) {
        return tf.withName(name).placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    }

    private Operand<TFloat32> embeddings(
            Operand<TInt32> ids, Operand<TInt32> typeIds, Operand<TInt32> seqLen) {
        Ops e = tf.withSubScope("embeddings");
        BertConfig c = weights.config();
        Operand<TFloat32> sum =
                e.gather(weight("embeddings.word_embeddings.weight"), ids, e.constant(0));
        if (c.typeVocabSize() == 1) {
            // RoBERTa: one row added to every token, whatever type ids a tokenizer sends.
            sum =
                    e.math.add(
                            sum,
                            e.gather(
                                    weight("embeddings.token_type_embeddings.weight"),
                                    e.constant(0),
                                    e.constant(0)));
        } else if (c.hasTokenTypes()) {
            sum =
                    e.math.add(
                            sum,
                            e.gather(
                                    weight("embeddings.token_type_embeddings.weight"),
                                    typeIds,
                                    e.constant(0)));
        }
        if (c.isModernBert()) {
            // Rotary positions are applied in attention; there is no position table.
            Operand<TFloat32> flat = e.reshape(sum, e.constant(new int[] {-1, c.hiddenSize()}));
            return drop(e, layerNorm(e, flat, "embeddings.LayerNorm"), hiddenShape);
        }
        // BERT: [seq] position ids broadcast over the batch; RoBERTa: [batch, seq].
        Operand<TInt32> positionIds;
        if (c.positionPaddingIdx() == null) {
            positionIds = e.range(e.constant(0), seqLen, e.constant(1));
        } else {
            // create_position_ids_from_input_ids: padding keeps padding_idx, real tokens count
            // on from padding_idx + 1.
            Operand<TInt32> pad = e.constant(c.positionPaddingIdx());
            Operand<TInt32> real = e.dtypes.cast(e.math.notEqual(ids, pad), TInt32.class);
            positionIds = e.math.add(e.math.mul(e.math.cumsum(real, e.constant(1)), real), pad);
        }
        Operand<TFloat32> positions =
                e.gather(
                        weight("embeddings.position_embeddings.weight"),
                        positionIds,
                        e.constant(0));
        sum = e.math.add(sum, positions);
        Operand<TFloat32> flat = e.reshape(sum, e.constant(new int[] {-1, c.hiddenSize()}));
        return drop(e, layerNorm(e, flat, "embeddings.LayerNorm"), hiddenShape);
    }

    private Operand<TFloat32> transformerLayer(
            Ops l,
            int i,
            Operand<TFloat32> x,
            Operand<TFloat32> additiveMask,
            Operand<TInt32> batchBySeq) {
        BertConfig c = weights.config();
        int heads = c.numHeads();
        int headSize = c.headSize();
        Operand<TInt32> splitHeads =
                l.concat(
                        List.of(batchBySeq, l.constant(new int[] {heads, headSize})),
                        l.constant(0));

        Operand<TFloat32> scores;
        Operand<TFloat32> v;
        if (fused) {
            // One [tokens, 3·hidden] matmul, viewed as [batch, seq, 3, heads, headSize] and
            // transposed once to [3, batch, heads, seq, headSize]; unstacking axis 0 is free.
            Operand<TFloat32> qkvBias =
                    variables.variable(FusedQkv.biasName(i), FusedQkv.packBias(weights, i));
            Operand<TFloat32> qkv =
                    int8(layer(i, "attention.self"))
                            ? QuantizedDense.dense(
                                    l,
                                    variables,
                                    x,
                                    FusedQkv.kernelName(i),
                                    FusedQkv.packKernel(weights, i),
                                    qkvBias,
                                    int8Levels)
                            : FusableOps.dense(
                                    l,
                                    x,
                                    variables.variable(
                                            FusedQkv.kernelName(i),
                                            FusedQkv.packKernel(weights, i)),
                                    qkvBias);
            Operand<TInt32> split3 =
                    l.concat(
                            List.of(batchBySeq, l.constant(new int[] {3, heads, headSize})),
                            l.constant(0));
            List<Output<TFloat32>> parts =
                    l.unstack(
                                    l.linalg.transpose(
                                            l.reshape(qkv, split3),
                                            l.constant(new int[] {2, 0, 3, 1, 4})),
                                    3L)
                            .output();
            v = parts.get(2);
            scores =
                    l.math.mul(
                            l.train.batchMatMul(
                                    parts.get(0),
                                    parts.get(1),
                                    TFloat32.class,
                                    BatchMatMul.adjY(true)),
                            l.constant((float) (1.0 / Math.sqrt(headSize))));
        } else {
            Operand<TFloat32> q =
                    l.linalg.transpose(
                            l.reshape(dense(l, x, layer(i, "attention.self.query")), splitHeads),
                            l.constant(new int[] {0, 2, 1, 3}));
            Operand<TFloat32> kT =
                    l.linalg.transpose(
                            l.reshape(dense(l, x, layer(i, "attention.self.key")), splitHeads),
                            l.constant(new int[] {0, 2, 3, 1}));
            v =
                    l.linalg.transpose(
                            l.reshape(dense(l, x, layer(i, "attention.self.value")), splitHeads),
                            l.constant(new int[] {0, 2, 1, 3}));
            scores =
                    l.math.mul(
                            l.train.batchMatMul(q, kT, TFloat32.class),
                            l.constant((float) (1.0 / Math.sqrt(headSize))));
        }
        Operand<TFloat32> probs =
                drop(l, l.nn.softmax(l.math.add(scores, additiveMask)), attentionShape);
        Operand<TFloat32> context =
                l.train.batchMatMul(probs, v, TFloat32.class, BatchMatMul.adjX(false));
        Operand<TFloat32> merged =
                l.reshape(
                        l.linalg.transpose(context, l.constant(new int[] {0, 2, 1, 3})),
                        l.constant(new int[] {-1, c.hiddenSize()}));

        Operand<TFloat32> attentionOut =
                drop(l, dense(l, merged, layer(i, "attention.output.dense")), hiddenShape);
        Operand<TFloat32> attended =
                layerNorm(l, residual(l, attentionOut, x), layer(i, "attention.output.LayerNorm"));
        Operand<TFloat32> intermediate = dense(l, attended, layer(i, "intermediate.dense"));
        Operand<TFloat32> inner =
                fused && activation == Activation.GELU
                        ? FusableOps.geluExact(l, intermediate)
                        : activate(l, intermediate, activation);
        Operand<TFloat32> out = drop(l, dense(l, inner, layer(i, "output.dense")), hiddenShape);
        return layerNorm(l, residual(l, out, attended), layer(i, "output.LayerNorm"));
    }

    private Operand<TFloat32> residual(Ops o, Operand<TFloat32> branch, Operand<TFloat32> x) {
        return fused ? FusableOps.addV2(o, branch, x) : o.math.add(branch, x);
    }

    /** Dropout on a {@code [batch·seq, hidden]} tensor (identity in the inference graph). */
    private Operand<TFloat32> dropHidden(Ops o, Operand<TFloat32> x) {
        return drop(o, x, hiddenShape);
    }

    private Operand<TFloat32> dense(Ops o, Operand<TFloat32> x, String prefix) {
        if (int8(prefix)) {
            String kernel = prefix + ".kernel";
            return QuantizedDense.dense(
                    o,
                    variables,
                    x,
                    kernel,
                    weights.get(kernel),
                    weight(prefix + ".bias"),
                    int8Levels);
        }
        if (fused) {
            return FusableOps.dense(o, x, weight(prefix + ".kernel"), weight(prefix + ".bias"));
        }
        return o.math.add(o.linalg.matMul(x, weight(prefix + ".kernel")), weight(prefix + ".bias"));
    }

    private Operand<TFloat32> layerNorm(Ops o, Operand<TFloat32> x, String prefix) {
        if (fused && fusedLayerNorm && !weights.config().isModernBert()) {
            return FusableOps.layerNorm(
                    o,
                    x,
                    weight(prefix + ".weight"),
                    weight(prefix + ".bias"),
                    weights.config().layerNormEps());
        }
        return layerNorm(
                o,
                x,
                weight(prefix + ".weight"),
                weight(prefix + ".bias"),
                weights.config().layerNormEps());
    }

    /** LayerNorm over the last axis. */
    static Operand<TFloat32> layerNorm(
            Ops o,
            Operand<TFloat32> x,
            Operand<TFloat32> gamma,
            Operand<TFloat32> beta,
            double eps) {
        Operand<TInt32> lastAxis = o.constant(new int[] {-1});
        Operand<TFloat32> mean =
                o.math.mean(x, lastAxis, org.tensorflow.op.math.Mean.keepDims(true));
        Operand<TFloat32> centered = o.math.sub(x, mean);
        Operand<TFloat32> variance =
                o.math.mean(
                        o.math.square(centered),
                        lastAxis,
                        org.tensorflow.op.math.Mean.keepDims(true));
        Operand<TFloat32> normed =
                o.math.mul(centered, o.math.rsqrt(o.math.add(variance, o.constant((float) eps))));
        return o.math.add(o.math.mul(normed, gamma), beta);
    }

    static Operand<TFloat32> activate(Ops o, Operand<TFloat32> x, Activation act) {
        switch (act) {
            case GELU:
                Operand<TFloat32> cdf =
                        o.math.add(
                                o.constant(1f),
                                o.math.erf(o.math.mul(x, o.constant((float) (1 / Math.sqrt(2))))));
                return o.math.mul(o.math.mul(x, o.constant(0.5f)), cdf);
            case GELU_TANH:
                Operand<TFloat32> cube = o.math.mul(o.math.mul(x, x), x);
                Operand<TFloat32> inner =
                        o.math.mul(
                                o.constant((float) Math.sqrt(2 / Math.PI)),
                                o.math.add(x, o.math.mul(o.constant(0.044715f), cube)));
                return o.math.mul(
                        o.math.mul(x, o.constant(0.5f)),
                        o.math.add(o.constant(1f), o.math.tanh(inner)));
            case RELU:
                return o.nn.relu(x);
            case TANH:
                return o.math.tanh(x);
            default:
                throw new IllegalStateException("Unhandled activation " + act);
        }
    }

    private Operand<TFloat32> pool(Operand<TFloat32> lastHidden, Operand<TFloat32> maskFloat) {
        Ops p = tf.withSubScope("pooling");
        if (pooling == Pooling.CLS) {
            return p.gather(lastHidden, p.constant(0), p.constant(1));
        }
        Operand<TFloat32> mask3 = p.expandDims(maskFloat, p.constant(-1));
        if (pooling == Pooling.MAX) {
            // sentence-transformers sets padded tokens to -1e9 before taking the maximum.
            Operand<TFloat32> masked =
                    p.math.add(
                            p.math.mul(lastHidden, mask3),
                            p.math.mul(p.math.sub(p.constant(1f), mask3), p.constant(-1e9f)));
            return p.max(masked, p.constant(1));
        }
        Operand<TFloat32> summed = p.sum(p.math.mul(lastHidden, mask3), p.constant(1));
        Operand<TFloat32> counts = p.math.maximum(p.sum(mask3, p.constant(1)), p.constant(1e-9f));
        return p.math.div(summed, counts);
    }

    private Operand<TFloat32> drop(Ops o, Operand<TFloat32> x, Operand<TInt32> shape) {
        return dropout == null ? x : dropout.apply(o.withSubScope("dropout"), x, shape);
    }

    /** A 1-D shape from scalar dimensions known at run time. */
    @SafeVarargs
    private Operand<TInt32> dims(Operand<TInt32>... scalars) {
        List<Operand<TInt32>> parts = new ArrayList<>();
        for (Operand<TInt32> d : scalars) {
            parts.add(tf.reshape(d, tf.constant(new int[] {1})));
        }
        return tf.concat(parts, tf.constant(0));
    }

    private Operand<TFloat32> weight(String name) {
        return variables.variable(name, weights.get(name));
    }
}
