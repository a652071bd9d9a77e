package dev.bertstream.models.training.finetune;

import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.BertGraphBuilder;
import dev.bertstream.models.graph.Dropout;
import dev.bertstream.models.graph.EncoderGraph;
import dev.bertstream.models.graph.GraphVariables;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.PaddedBatch;
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
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training graph of full fine-tuning: the encoder and every task head as variables, one
 * weighted cross-entropy loss per task (binary cross-entropy per label for a multi-label head), its
 * gradients (TensorFlow's symbolic gradients), global-norm clipping and an AdamW update, all in one
 * session so a step never copies weights to Java.
 *
 * <p>Each batch belongs to one task (tasks may come from different datasets), so each task has its
 * own loss and update op; they share the encoder variables, and AdamW keeps one set of moments and
 * one update count per variable.
 */
final class FineTuneGraph implements AutoCloseable {

    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    private final Graph graph = new Graph();
    private final Session session;
    private final GraphVariables variables;
    private final EncoderGraph model;
    private final List<String> trainable = new ArrayList<>();
    private final Map<String, Placeholder<TInt32>> labels = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> targets = new LinkedHashMap<>();
    private final Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    private final Map<String, Op> updates = new LinkedHashMap<>();
    private final AdamW adamW;

    /**
     * Drop probability: fed on training steps only, so dev evaluation runs the same graph without
     * dropout.
     */
    private final Operand<TFloat32> dropoutRate;

    private final float dropout;

    /**
     * @param classWeights per task, the loss weight of each class (in head label order); for a
     *     multi-label (sigmoid) head the weight of each label's positive examples
     */
    FineTuneGraph(
            BertWeights encoder,
            Activation activation,
            Pooling pooling,
            List<TaskHead> heads,
            Map<String, float[]> classWeights,
            FineTuneOptions options,
            SessionSettings settings) {
        Ops tf = Ops.create(graph);
        variables = new GraphVariables(tf);
        dropout = (float) options.dropout();
        dropoutRate =
                tf.withName("dropout_rate").placeholderWithDefault(tf.constant(0f), Shape.scalar());
        BertGraphBuilder builder =
                BertGraphBuilder.builder(tf, variables, encoder)
                        .activation(activation)
                        .pooling(pooling)
                        .heads(heads);
        if (dropout > 0) {
            // Without dropout the graph has no random ops at all: they cost time even at rate 0.
            builder.dropout(new Dropout(dropoutRate, options.seed()));
        }
        model = builder.build();
        for (String name : variables.names()) {
            if (options.trainWordEmbeddings() || !name.equals(WORD_EMBEDDINGS)) {
                trainable.add(name);
            }
        }
        adamW = new AdamW(tf.withSubScope("adamw"), options.weightDecay());
        for (TaskHead head : heads) {
            Ops t = tf.withSubScope("loss_" + head.name());
            Operand<TFloat32> loss;
            if (head.activation() == HeadActivation.SIGMOID) {
                Placeholder<TFloat32> y =
                        t.withName("targets")
                                .placeholder(
                                        TFloat32.class,
                                        Placeholder.shape(Shape.of(-1, head.labels().size())));
                targets.put(head.name(), y);
                loss =
                        SigmoidCrossEntropy.of(
                                t,
                                model.logits().get(head.name()),
                                y,
                                classWeights.get(head.name()));
            } else {
                Placeholder<TInt32> y =
                        t.withName("labels")
                                .placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
                labels.put(head.name(), y);
                loss =
                        WeightedCrossEntropy.of(
                                t,
                                model.logits().get(head.name()),
                                y,
                                classWeights.get(head.name()),
                                (float) options.labelSmoothing());
            }
            List<String> vars = new ArrayList<>();
            for (String name : trainable) {
                if (!name.startsWith("heads.")
                        || name.equals(head.kernelName())
                        || name.equals(head.biasName())) {
                    vars.add(name);
                }
            }
            losses.put(head.name(), loss);
            updates.put(
                    head.name(),
                    adamW.minimize(t, loss, vars, variables::get, options.maxGradNorm()));
        }
        session = new Session(graph, settings.toConfigProto());
        variables.assignAll(session);
    }

    /**
     * One AdamW step on {@code batch} of {@code task}; returns the batch's loss before the step.
     */
    float step(String task, PaddedBatch batch, int[] y, double lr) {
        try (TInt32 yT = TInt32.tensorOf(Shape.of(y.length), DataBuffers.of(y, true, false))) {
            return step(task, batch, labels.get(task), yT, lr);
        }
    }

    /**
     * One AdamW step on {@code batch} of multi-label task {@code task}, {@code y[example][label]} 1
     * or 0; returns the batch's loss before the step.
     */
    float step(String task, PaddedBatch batch, float[][] y, double lr) {
        int k = y[0].length;
        float[] flat = new float[y.length * k];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(y[i], 0, flat, i * k, k);
        }
        try (TFloat32 yT =
                TFloat32.tensorOf(Shape.of(y.length, k), DataBuffers.of(flat, true, false))) {
            return step(task, batch, targets.get(task), yT, lr);
        }
    }

    private float step(
            String task,
            PaddedBatch batch,
            Placeholder<?> target,
            org.tensorflow.Tensor y,
            double lr) {
        try (PaddedBatch.Tensors in = batch.tensors();
                TFloat32 rate = TFloat32.scalarOf(dropout);
                AdamW.StepTensors hyper = adamW.stepTensors(lr);
                Result r =
                        hyper.feed(in.feed(session.runner(), model))
                                .feed(target, y)
                                .feed(dropoutRate, rate)
                                .fetch(losses.get(task))
                                .addTarget(updates.get(task))
                                .run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Class probabilities of every task for {@code batch}: task → {@code [rows][classes]}. */
    Map<String, float[][]> predict(PaddedBatch batch) {
        Map<String, float[][]> out = new LinkedHashMap<>();
        try (PaddedBatch.Tensors in = batch.tensors()) {
            Session.Runner runner = in.feed(session.runner(), model);
            List<String> tasks = new ArrayList<>(model.probabilities().keySet());
            tasks.forEach(t -> runner.fetch(model.probabilities().get(t)));
            try (Result r = runner.run()) {
                for (int i = 0; i < tasks.size(); i++) {
                    out.put(tasks.get(i), PaddedBatch.rows((TFloat32) r.get(i)));
                }
            }
        }
        return out;
    }

    /** The current values of every trained variable (a checkpoint to keep). */
    Map<String, WeightTensor> snapshot() {
        return variables.read(session, trainable);
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
