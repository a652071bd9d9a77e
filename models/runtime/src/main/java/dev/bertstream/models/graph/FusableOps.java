package dev.bertstream.models.graph;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.List;

/**
 * Dense layers, GELU and LayerNorm written op for op in the shapes TensorFlow's grappler remapper
 * (TF 2.18, the version TensorFlow Java 1.1 ships) rewrites into single kernels.
 *
 * <p>The remapper matches op types and input order exactly, so the order of every operand here is
 * part of the contract:
 *
 * <ul>
 *   <li>{@code BiasAdd(MatMul(x, W), b)} becomes {@code _FusedMatMul} (Eigen) or {@code
 *       _MklNativeFusedMatMul} (oneDNN); {@code Add} in place of {@code BiasAdd} fuses only with
 *       oneDNN on.
 *   <li>GELU as {@code Mul(Mul(AddV2(Erf(Mul(h, √½)), 1), ½), h)} on that {@code BiasAdd} folds
 *       into the same fused matmul ({@code fused_ops=[BiasAdd, GeluExact]}, oneDNN only).
 *   <li>LayerNorm as Keras builds it ({@code FusedBatchNormV3} in training mode on a reshaped
 *       input, then {@code ·γ + β}) becomes {@code _MklLayerNorm} (oneDNN only). The custom pattern
 *       ({@code Mean}, {@code Sub}, {@code Square}, {@code Rsqrt}), built in that pattern's own
 *       operand order, was not matched by this TensorFlow version (checked on the executed graph:
 *       it stays seven ops).
 * </ul>
 *
 * Without oneDNN (it is on by default only on CPUs with AVX512-VNNI/BF16 or AMX; {@code
 * TF_ENABLE_ONEDNN_OPTS=1} turns it on elsewhere) the same graph still gets {@code _FusedMatMul}
 * for every dense layer. Every form computes what the plain form computes up to float rounding.
 */
final class FusableOps {

    private FusableOps() {}

    /** {@code BiasAdd(MatMul(x, kernel), bias)}. */
    static Operand<TFloat32> dense(
            Ops o, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
        return o.nn.biasAdd(o.linalg.matMul(x, kernel), bias);
    }

    /** {@code a + b} as {@code AddV2}, the add op the remapper patterns name (not {@code Add}). */
    static Operand<TFloat32> addV2(Ops o, Operand<TFloat32> a, Operand<TFloat32> b) {
        Operation op =
                o.scope()
                        .opBuilder("AddV2", "AddV2")
                        .addInput(a.asOutput())
                        .addInput(b.asOutput())
                        .build();
        return op.output(0);
    }

    /** Exact GELU, {@code x·½·(1 + erf(x/√2))}, in the remapper's GeluExact order. */
    static Operand<TFloat32> geluExact(Ops o, Operand<TFloat32> x) {
        Operand<TFloat32> erf = o.math.erf(o.math.mul(x, o.constant((float) (1 / Math.sqrt(2)))));
        Operand<TFloat32> halfCdf = o.math.mul(addV2(o, erf, o.constant(1f)), o.constant(0.5f));
        return o.math.mul(halfCdf, x);
    }

    /**
     * LayerNorm over the last axis of a rank-2 {@code [rows, hidden]} tensor, written as Keras
     * writes it: the rows become the channels of a {@code [1, rows, hidden, 1]} NCHW tensor that a
     * training-mode {@code FusedBatchNormV3} with unit scale and zero offset normalises per
     * channel, then {@code ·γ + β}. The remapper turns exactly this into {@code _MklLayerNorm};
     * without oneDNN it runs as one batch-norm kernel instead of seven element-wise ops.
     */
    static Operand<TFloat32> layerNorm(
            Ops o,
            Operand<TFloat32> x,
            Operand<TFloat32> gamma,
            Operand<TFloat32> beta,
            double eps) {
        Operand<TInt32> shape = o.shape(x);
        Operand<TInt32> rows =
                o.reshape(o.gather(shape, o.constant(0), o.constant(0)), o.constant(new int[] {1}));
        Operand<TInt32> nchw =
                o.concat(
                        List.of(
                                o.constant(new int[] {1}),
                                rows,
                                o.reshape(
                                        o.gather(shape, o.constant(1), o.constant(0)),
                                        o.constant(new int[] {1})),
                                o.constant(new int[] {1})),
                        o.constant(0));
        Operand<TFloat32> none = o.constant(new float[0]);
        FusedBatchNorm<TFloat32, TFloat32> normed =
                o.nn.fusedBatchNorm(
                        o.reshape(x, nchw),
                        o.fill(rows, o.constant(1f)),
                        o.fill(rows, o.constant(0f)),
                        none,
                        none,
                        FusedBatchNorm.epsilon((float) eps),
                        FusedBatchNorm.dataFormat("NCHW"),
                        FusedBatchNorm.isTraining(true));
        return addV2(o, o.math.mul(o.reshape(normed.y(), shape), gamma), beta);
    }
}
