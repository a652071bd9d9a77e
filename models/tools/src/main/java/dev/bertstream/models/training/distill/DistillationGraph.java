package dev.bertstream.models.training.distill;

import dev.bertstream.models.bundle.SessionSettings;
import dev.bertstream.models.graph.Activation;
import dev.bertstream.models.graph.BertGraphBuilder;
import dev.bertstream.models.graph.EncoderGraph;
import dev.bertstream.models.graph.GraphVariables;
import dev.bertstream.models.graph.HeadActivation;
import dev.bertstream.models.graph.Pooling;
import dev.bertstream.models.graph.TaskHead;
import dev.bertstream.models.inference.PaddedBatch;
import dev.bertstream.models.training.finetune.AdamW;
import dev.bertstream.models.weights.BertWeights;
import dev.bertstream.models.weights.WeightTensor;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distillation graph: teacher and student side by side in one session, fed the same batch. The
 * teacher's variables are never updated; the student's loss is the sum over task heads of the KL
 * divergence from the teacher's softened distribution, plus {@code hiddenWeight} times the mean of
 * the hidden-state MSEs (student layer {@code i} against the teacher layer it was copied from, and
 * the pooled embeddings the heads read). Gradients, clipping and AdamW as in fine-tuning.
 */
final class DistillationGraph implements AutoCloseable {

    private static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    private final Graph graph = new Graph();
    private final Session session;
    private final GraphVariables studentVariables;
    private final EncoderGraph teacher;
    private final EncoderGraph student;
    private final List<String> trainable = new ArrayList<>();
    private final List<String> tasks = new ArrayList<>();
    private final Operand<TFloat32> loss;
    private final Operand<TFloat32> softLoss;
    private final Operand<TFloat32> hiddenLoss;
    private final Op update;
    private final AdamW adamW;

    /** The three loss values of a batch, before the step. */
    record Losses(float total, float soft, float hidden) {}

    /**
     * @param teacherLayers for each student layer, the 0-based teacher layer it matches
     */
    DistillationGraph(
            BertWeights teacherWeights,
            BertWeights studentWeights,
            List<Integer> teacherLayers,
            Activation activation,
            Pooling pooling,
            List<TaskHead> teacherHeads,
            List<TaskHead> studentHeads,
            DistillOptions options,
            SessionSettings settings) {
        Ops tf = Ops.create(graph);
        // One scope object: a second withSubScope("teacher") may be made unique as teacher_1.
        Ops teacherOps = tf.withSubScope("teacher");
        GraphVariables teacherVariables = new GraphVariables(teacherOps);
        BertGraphBuilder teacherBuilder =
                BertGraphBuilder.builder(teacherOps, teacherVariables, teacherWeights)
                        .activation(activation)
                        .pooling(pooling)
                        .heads(teacherHeads);
        teacher = teacherBuilder.build();
        studentVariables = new GraphVariables(tf);
        BertGraphBuilder studentBuilder =
                BertGraphBuilder.builder(tf, studentVariables, studentWeights)
                        .activation(activation)
                        .pooling(pooling)
                        .heads(studentHeads);
        student = studentBuilder.build();
        for (String name : studentVariables.names()) {
            if (options.trainWordEmbeddings() || !name.equals(WORD_EMBEDDINGS)) {
                trainable.add(name);
            }
        }

        Ops t = tf.withSubScope("distillation");
        float temperature = (float) options.temperature();
        List<Operand<TFloat32>> soft = new ArrayList<>();
        for (TaskHead head : studentHeads) {
            tasks.add(head.name());
            Operand<TFloat32> zt = teacher.logits().get(head.name());
            Operand<TFloat32> zs = student.logits().get(head.name());
            soft.add(
                    head.activation() == HeadActivation.SIGMOID
                            ? DistillationLoss.sigmoidKl(t, zt, zs, temperature)
                            : DistillationLoss.softmaxKl(t, zt, zs, temperature));
        }
        softLoss = soft.isEmpty() ? t.constant(0f) : t.math.addN(soft);

        Operand<TFloat32> mask =
                t.reshape(
                        t.dtypes.cast(student.attentionMask(), TFloat32.class),
                        t.constant(new int[] {-1}));
        List<Operand<TFloat32>> teacherStates = teacherBuilder.hiddenStates();
        List<Operand<TFloat32>> studentStates = studentBuilder.hiddenStates();
        List<Operand<TFloat32>> mses = new ArrayList<>();
        for (int i = 0; i < teacherLayers.size(); i++) {
            // hiddenStates() starts with the embedding output, so layer L is at L + 1.
            mses.add(
                    DistillationLoss.maskedMse(
                            t,
                            teacherStates.get(teacherLayers.get(i) + 1),
                            studentStates.get(i + 1),
                            mask));
        }
        Operand<TFloat32> ones =
                t.onesLike(t.gather(teacher.embedding(), t.constant(0), t.constant(1)));
        mses.add(DistillationLoss.maskedMse(t, teacher.embedding(), student.embedding(), ones));
        hiddenLoss = t.math.div(t.math.addN(mses), t.constant((float) mses.size()));
        loss =
                t.withName("loss")
                        .math
                        .add(
                                softLoss,
                                t.math.mul(t.constant((float) options.hiddenWeight()), hiddenLoss));
        adamW = new AdamW(tf.withSubScope("adamw"), options.weightDecay());
        update =
                adamW.minimize(
                        tf.withSubScope("train"),
                        loss,
                        trainable,
                        studentVariables::get,
                        options.maxGradNorm());
        session = new Session(graph, settings.toConfigProto());
        teacherVariables.assignAll(session);
        studentVariables.assignAll(session);
    }

    /** One AdamW step on {@code batch} at rate {@code lr}; returns the losses before the step. */
    Losses step(PaddedBatch batch, double lr) {
        try (PaddedBatch.Tensors in = batch.tensors();
                AdamW.StepTensors hyper = adamW.stepTensors(lr);
                Result r =
                        hyper.feed(in.feed(in.feed(session.runner(), teacher), student))
                                .fetch(loss)
                                .fetch(softLoss)
                                .fetch(hiddenLoss)
                                .addTarget(update)
                                .run()) {
            return losses(r);
        }
    }

    /** The losses of {@code batch}, without training. */
    Losses losses(PaddedBatch batch) {
        try (PaddedBatch.Tensors in = batch.tensors();
                Result r =
                        in.feed(in.feed(session.runner(), teacher), student)
                                .fetch(loss)
                                .fetch(softLoss)
                                .fetch(hiddenLoss)
                                .run()) {
            return losses(r);
        }
    }

    private static Losses losses(Result r) {
        return new Losses(
                ((TFloat32) r.get(0)).getFloat(),
                ((TFloat32) r.get(1)).getFloat(),
                ((TFloat32) r.get(2)).getFloat());
    }

    /**
     * Class probabilities of teacher and student for {@code batch}: index 0 the teacher's, 1 the
     * student's, each task → {@code [rows][classes]}.
     */
    List<Map<String, float[][]>> probabilities(PaddedBatch batch) {
        try (PaddedBatch.Tensors in = batch.tensors()) {
            Session.Runner runner = in.feed(in.feed(session.runner(), teacher), student);
            for (EncoderGraph g : List.of(teacher, student)) {
                tasks.forEach(task -> runner.fetch(g.probabilities().get(task)));
            }
            List<Map<String, float[][]>> out = new ArrayList<>();
            try (Result r = runner.run()) {
                for (int side = 0; side < 2; side++) {
                    Map<String, float[][]> byTask = new LinkedHashMap<>();
                    for (int i = 0; i < tasks.size(); i++) {
                        byTask.put(
                                tasks.get(i),
                                PaddedBatch.rows((TFloat32) r.get(side * tasks.size() + i)));
                    }
                    out.add(byTask);
                }
            }
            return out;
        }
    }

    /** The student's current weights, every variable (encoder and heads). */
    Map<String, WeightTensor> studentWeights() {
        return studentVariables.read(session, studentVariables.names());
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
