package dev.bertstream.models.training.pretrain;

import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.BertGraphBuilder;
import dev.bertstream.models.graph.Dropout;
import dev.bertstream.models.graph.EncoderGraph;
import dev.bertstream.models.graph.GraphVariables;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.inference.PaddedBatch;
import dev.bertstream.models.training.finetune.AdamW;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training graph of masked-language-model pre-training: the encoder, BERT's prediction head
 * (dense, GELU, LayerNorm, then the word embeddings transposed as the output layer, so the
 * vocabulary projection is tied to the input embeddings) on the masked positions only, the mean
 * cross-entropy there, and an AdamW update of every variable, in one session.
 */
final class MaskedLmGraph implements AutoCloseable {

    private static final String HEAD = "mlm.";
    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    private final Graph graph = new Graph();
    private final Session session;
    private final GraphVariables variables;
    private final EncoderGraph model;
    private final List<String> encoderNames = new ArrayList<>();
    private final Placeholder<TInt32> positions;
    private final Placeholder<TInt32> labels;
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> correct;
    private final Operand<TFloat32> dropoutRate;
    private final Op update;
    private final AdamW adamW;
    private final float dropout;

    MaskedLmGraph(
            BertWeights encoder,
            Activation activation,
            PretrainOptions options,
            SessionSettings settings) {
        Ops tf = Ops.create(graph);
        variables = new GraphVariables(tf);
        dropout = (float) options.dropout();
        dropoutRate =
                tf.withName("dropout_rate").placeholderWithDefault(tf.constant(0f), Shape.scalar());
        BertGraphBuilder builder =
                BertGraphBuilder.builder(tf, variables, encoder)
                        .activation(activation)
                        .pooling(Pooling.MEAN);
        if (dropout > 0) {
            builder.dropout(new Dropout(dropoutRate, options.seed()));
        }
        model = builder.build();
        encoderNames.addAll(variables.names());

        int hidden = encoder.config().hiddenSize();
        int vocab = encoder.config().vocabSize();
        Ops h = tf.withSubScope("mlm");
        positions =
                h.withName("positions").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        labels = h.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        Random random = new Random(options.seed());
        Operand<TFloat32> flat =
                h.reshape(model.lastHiddenState(), h.constant(new int[] {-1, hidden}));
        Operand<TFloat32> picked = h.gather(flat, positions, h.constant(0));
        Operand<TFloat32> dense =
                h.math.add(
                        h.linalg.matMul(
                                picked,
                                variables.variable(
                                        HEAD + "transform.dense.kernel",
                                        gaussian(random, hidden, hidden))),
                        variables.variable(HEAD + "transform.dense.bias", filled(hidden, 0f)));
        Operand<TFloat32> normed = layerNorm(h, gelu(h, dense), encoder.config().layerNormEps());
        Operand<TFloat32> logits =
                h.math.add(
                        h.linalg.matMul(
                                normed,
                                variables.get(WORD_EMBEDDINGS),
                                org.tensorflow.op.linalg.MatMul.transposeB(true)),
                        variables.variable(HEAD + "bias", filled(vocab, 0f)));
        // One-hot rather than the sparse op: TensorFlow's C++ API has no gradient for the latter.
        Operand<TFloat32> target =
                h.oneHot(labels, h.constant(vocab), h.constant(1f), h.constant(0f));
        loss =
                h.withName("loss")
                        .math
                        .neg(
                                h.math.mean(
                                        h.sum(
                                                h.math.mul(target, h.nn.logSoftmax(logits)),
                                                h.constant(1)),
                                        h.constant(0)));
        Operand<TInt64> predicted = h.math.argMax(logits, h.constant(1), TInt64.class);
        correct =
                h.sum(
                        h.dtypes.cast(
                                h.math.equal(predicted, h.dtypes.cast(labels, TInt64.class)),
                                TFloat32.class),
                        h.constant(0));
        adamW = new AdamW(tf.withSubScope("adamw"), options.weightDecay());
        update =
                adamW.minimize(
                        tf.withSubScope("train"),
                        loss,
                        variables.names(),
                        variables::get,
                        options.maxGradNorm());
        session = new Session(graph, settings.toConfigProto());
        variables.assignAll(session);
    }

    private Operand<TFloat32> layerNorm(Ops o, Operand<TFloat32> x, double eps) {
        int hidden = (int) variables.get(HEAD + "transform.dense.bias").shape().get(0);
        Operand<TInt32> lastAxis = o.constant(new int[] {-1});
        Operand<TFloat32> centered = o.math.sub(x, o.math.mean(x, lastAxis, Mean.keepDims(true)));
        Operand<TFloat32> variance =
                o.math.mean(o.math.square(centered), lastAxis, Mean.keepDims(true));
        Operand<TFloat32> normed =
                o.math.mul(centered, o.math.rsqrt(o.math.add(variance, o.constant((float) eps))));
        return o.math.add(
                o.math.mul(
                        normed,
                        variables.variable(
                                HEAD + "transform.LayerNorm.weight", filled(hidden, 1f))),
                variables.variable(HEAD + "transform.LayerNorm.bias", filled(hidden, 0f)));
    }

    /** Exact GELU, as BERT's prediction head uses. */
    private static Operand<TFloat32> gelu(Ops o, Operand<TFloat32> x) {
        Operand<TFloat32> cdf =
                o.math.add(
                        o.constant(1f),
                        o.math.erf(o.math.mul(x, o.constant((float) (1 / Math.sqrt(2))))));
        return o.math.mul(o.math.mul(x, o.constant(0.5f)), cdf);
    }

    private static WeightTensor gaussian(Random random, int rows, int cols) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian() * 0.02f;
        }
        return new WeightTensor(new long[] {rows, cols}, data);
    }

    private static WeightTensor filled(int n, float value) {
        float[] data = new float[n];
        java.util.Arrays.fill(data, value);
        return new WeightTensor(new long[] {n}, data);
    }

    /** One AdamW step; returns the batch's loss before it. */
    float step(MaskedBatch batch, double lr) {
        try (PaddedBatch.Tensors in = batch.padded().tensors();
                TInt32 p = ints(batch.flatPositions());
                TInt32 y = ints(batch.labels());
                TFloat32 rate = TFloat32.scalarOf(dropout);
                AdamW.StepTensors hyper = adamW.stepTensors(lr);
                Result r =
                        hyper.feed(in.feed(session.runner(), model))
                                .feed(positions, p)
                                .feed(labels, y)
                                .feed(dropoutRate, rate)
                                .fetch(loss)
                                .addTarget(update)
                                .run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Loss and number of correctly predicted tokens on {@code batch}, without dropout. */
    Score score(MaskedBatch batch) {
        try (PaddedBatch.Tensors in = batch.padded().tensors();
                TInt32 p = ints(batch.flatPositions());
                TInt32 y = ints(batch.labels());
                Result r =
                        in.feed(session.runner(), model)
                                .feed(positions, p)
                                .feed(labels, y)
                                .fetch(loss)
                                .fetch(correct)
                                .run()) {
            return new Score(
                    ((TFloat32) r.get(0)).getFloat(),
                    Math.round(((TFloat32) r.get(1)).getFloat()),
                    batch.labels().length);
        }
    }

    /** The loss and accuracy of one scored batch. */
    record Score(float loss, long correct, int predicted) {}

    private static TInt32 ints(int[] values) {
        return TInt32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
    }

    /** The encoder's current weights, under their canonical names (the MLM head left out). */
    Map<String, WeightTensor> encoderWeights() {
        return variables.read(session, encoderNames);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
