package dev.bertstream.models.graph;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times one dense layer ({@code rows × in} by {@code in × out}, default 2048×384 by 384×1536: a
 * batch of 64 texts of 32 tokens through MiniLM's intermediate layer) in float32 against the int8
 * kernels TensorFlow 2.18's CPU build offers, and reports each one's error against float32. Run it
 * twice, with {@code TF_ENABLE_ONEDNN_OPTS=0} and {@code =1}; kernels missing in a mode print
 * FAILED with TensorFlow's message.
 *
 * <pre>
 * java -cp ... dev.bertstream.models.graph.QuantizedMatMulBench [rows in out [iterations [filter]]]
 * </pre>
 *
 * <p>Not a test: a main kept in test scope, as measured for issue #19 (see docs/MODELS.md).
 */
public final class QuantizedMatMulBench {

    static int M = 2048, K = 384, N = 1536;
    static int ITER = 20;

    /**
     * Weight levels each side of zero (system property {@code levels}, default 63 as the bundles
     * use; 127 shows the u8·s8 16-bit saturation of CPUs without VNNI).
     */
    static final int LEVELS = Integer.getInteger("levels", 63);

    interface Variant {
        Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, float[] w, float[] bias);
    }

    public static void main(String[] args) {
        if (args.length >= 3) {
            M = Integer.parseInt(args[0]);
            K = Integer.parseInt(args[1]);
            N = Integer.parseInt(args[2]);
        }
        if (args.length >= 4) {
            ITER = Integer.parseInt(args[3]);
        }
        String only = args.length >= 5 ? args[4] : null;
        Random r = new Random(7);
        float[] x = new float[M * K];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] w = new float[K * N];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.05);
        }
        float[] b = new float[N];
        for (int i = 0; i < N; i++) {
            b[i] = (float) (r.nextGaussian() * 0.1);
        }
        System.out.printf(
                "rows=%d in=%d out=%d TF_ENABLE_ONEDNN_OPTS=%s%n",
                M, K, N, System.getenv("TF_ENABLE_ONEDNN_OPTS"));
        float[] ref = run("f32 MatMul+BiasAdd", QuantizedMatMulBench::f32, x, w, b, null);
        List<Object[]> vs = new ArrayList<>();
        vs.add(
                new Object[] {
                    "QuantizeV2+QuantizedMatMul u8xu8->s32+Dequantize (per-channel post-scale)",
                    (Variant) QuantizedMatMulBench::qmmU8U8
                });
        vs.add(
                new Object[] {
                    "QuantizeV2+QuantizedMatMul u8xs8->s32+Dequantize",
                    (Variant) QuantizedMatMulBench::qmmU8S8
                });
        vs.add(
                new Object[] {
                    "QuantizedMatMulWithBiasAndDequantize u8xs8 (per-channel)",
                    (Variant) QuantizedMatMulBench::qmmBiasDeq
                });
        vs.add(
                new Object[] {
                    "QMMWithBiasAndDequantize SCALED shifted, per-channel post-mul",
                    (Variant) (tf, xx, ww, bb) -> qmmScaled(tf, xx, ww, bb, true)
                });
        vs.add(
                new Object[] {
                    "QMMWithBiasAndDequantize SCALED shifted, per-tensor weights",
                    (Variant) (tf, xx, ww, bb) -> qmmScaled(tf, xx, ww, bb, false)
                });
        vs.add(
                new Object[] {
                    "UniformQuantizedDotHybrid f32xs8 (per-channel)",
                    (Variant) QuantizedMatMulBench::hybrid
                });
        vs.add(
                new Object[] {
                    "UniformQuantize+UniformQuantizedDot s8xs8->s32+UniformDequantize",
                    (Variant) QuantizedMatMulBench::uniformDot
                });
        vs.add(
                new Object[] {
                    "Cast int8 + BatchMatMulV3 s8xs8->s32 + scale",
                    (Variant) QuantizedMatMulBench::bmmInt8
                });
        vs.add(
                new Object[] {
                    "Cast int32 + MatMul int32 + scale", (Variant) QuantizedMatMulBench::mmInt32
                });
        for (Object[] v : vs) {
            if (only != null && !((String) v[0]).contains(only)) {
                continue;
            }
            try {
                run((String) v[0], (Variant) v[1], x, w, b, ref);
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                System.out.printf(
                        "%-75s FAILED: %s%n",
                        v[0], m.substring(0, Math.min(300, m.length())).replace('\n', ' '));
            }
        }
    }

    static float[] run(String name, Variant v, float[] x, float[] w, float[] b, float[] ref) {
        try (Graph g = new Graph();
                Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> in =
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, K)));
            Operand<TFloat32> y = tf.identity(v.build(tf, in, w, b));
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(M, K), DataBuffers.of(x, true, false))) {
                float[] out = null;
                for (int i = 0; i < 3; i++) {
                    try (Result res = s.runner().feed(in, xt).fetch(y).run()) {
                        TFloat32 t = (TFloat32) res.get(0);
                        out = new float[M * N];
                        t.copyTo(DataBuffers.of(out, false, false));
                    }
                }
                Operand<TFloat32> sum = tf.sum(y, tf.constant(new int[] {0, 1}));
                long[] times = new long[ITER];
                for (int i = 0; i < ITER; i++) {
                    long t0 = System.nanoTime();
                    s.runner().feed(in, xt).fetch(sum).run().close();
                    times[i] = System.nanoTime() - t0;
                }
                Arrays.sort(times);
                double med = times[ITER / 2] / 1e6;
                double gflops = 2.0 * M * K * N / (med / 1e3) / 1e9;
                String err = "";
                if (ref != null) {
                    double num = 0, den = 0, maxAbs = 0;
                    for (int i = 0; i < out.length; i++) {
                        double d = out[i] - ref[i];
                        num += d * d;
                        den += ref[i] * ref[i];
                        maxAbs = Math.max(maxAbs, Math.abs(d));
                    }
                    err = String.format(" relRMS=%.4f maxAbs=%.4f", Math.sqrt(num / den), maxAbs);
                }
                System.out.printf(
                        "%-75s median %7.2f ms  min %7.2f ms  %6.1f GOP/s%s%n",
                        name, med, times[0] / 1e6, gflops, err);
                return out;
            }
        }
    }

    static Operand<TFloat32> f32(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        return tf.nn.biasAdd(
                tf.linalg.matMul(x, tf.constant(Shape.of(K, N), DataBuffers.of(w, true, false))),
                tf.constant(b));
    }

    // ---- helpers ----

    static OperationBuilder op(Ops tf, String type, Operand<?>... inputs) {
        OperationBuilder ob = tf.scope().opBuilder(type, type);
        for (Operand<?> in : inputs) {
            ob.addInput(in.asOutput());
        }
        return ob;
    }

    static Output<?> bitcast(Ops tf, Operand<?> x, DataType t) {
        return op(tf, "Bitcast", x).setAttr("type", t).build().output(0);
    }

    /** Per output column symmetric scales max|w|/127. */
    static float[] colScales(float[] w) {
        float[] s = new float[N];
        for (int k = 0; k < K; k++) {
            for (int n = 0; n < N; n++) {
                s[n] = Math.max(s[n], Math.abs(w[k * N + n]));
            }
        }
        for (int n = 0; n < N; n++) {
            s[n] = s[n] == 0 ? 1f : s[n] / LEVELS;
        }
        return s;
    }

    static byte[] quantS8(float[] w, float[] s) {
        byte[] q = new byte[w.length];
        for (int k = 0; k < K; k++) {
            for (int n = 0; n < N; n++) {
                q[k * N + n] =
                        (byte) Math.max(-LEVELS, Math.min(LEVELS, Math.round(w[k * N + n] / s[n])));
            }
        }
        return q;
    }

    static Operand<?> s8Const(Ops tf, byte[] q, DataType t) {
        return (Operand<?>)
                bitcast(tf, tf.constant(Shape.of(K, N), DataBuffers.of(q, true, false)), t);
    }

    static Operand<TFloat32> minAll(Ops tf, Operand<TFloat32> x) {
        return tf.min(x, tf.constant(new int[] {0, 1}));
    }

    static Operand<TFloat32> maxAll(Ops tf, Operand<TFloat32> x) {
        return tf.max(x, tf.constant(new int[] {0, 1}));
    }

    static Operand<TFloat32> absMax(Ops tf, Operand<TFloat32> x) {
        return tf.math.maximum(
                tf.max(tf.math.abs(x), tf.constant(new int[] {0, 1})), tf.constant(1e-8f));
    }

    /** quint8 activations over their own [min, max] (MIN_FIRST): data, min, max. */
    static Operation quantizeMinFirst(Ops tf, Operand<TFloat32> x) {
        return op(tf, "QuantizeV2", x, minAll(tf, x), maxAll(tf, x))
                .setAttr("T", DataType.DT_QUINT8)
                .setAttr("mode", "MIN_FIRST")
                .build();
    }

    /** QuantizedMatMul of quantized activations by weights of type {@code t2} in [wMin, 127]. */
    static Operation quantizedMatMul(Ops tf, Operation qx, Operand<?> wq, float wMin, DataType t2) {
        return op(tf, "QuantizedMatMul")
                .addInput(qx.output(0))
                .addInput(wq.asOutput())
                .addInput(qx.output(1))
                .addInput(qx.output(2))
                .addInput(tf.constant(wMin).asOutput())
                .addInput(tf.constant(127f).asOutput())
                .setAttr("T1", DataType.DT_QUINT8)
                .setAttr("T2", t2)
                .setAttr("Toutput", DataType.DT_QINT32)
                .build();
    }

    /** Dequantize of a qint32 result and its range; {@code mode} null: the op's default. */
    static Operation dequantize(Ops tf, Operation mm, String mode) {
        OperationBuilder b =
                op(tf, "Dequantize")
                        .addInput(mm.output(0))
                        .addInput(mm.output(1))
                        .addInput(mm.output(2))
                        .setAttr("T", DataType.DT_QINT32);
        if (mode != null) {
            b.setAttr("mode", mode);
        }
        return b.build();
    }

    // ---- variants ----

    /**
     * quint8 activations (MIN_FIRST), weights per-channel s8 shifted by 128 into quint8 with range
     * [-128,127].
     */
    static Operand<TFloat32> qmmU8U8(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        byte[] q = quantS8(w, s);
        byte[] u = new byte[q.length];
        for (int i = 0; i < q.length; i++) {
            u[i] = (byte) (q[i] + 128);
        }
        Operand<?> wq =
                (Operand<?>)
                        bitcast(
                                tf,
                                tf.constant(Shape.of(K, N), DataBuffers.of(u, true, false)),
                                DataType.DT_QUINT8);
        Operation qx = quantizeMinFirst(tf, x);
        Operation mm = quantizedMatMul(tf, qx, wq, -128f, DataType.DT_QUINT8);
        Operation dq = dequantize(tf, mm, "MIN_FIRST");
        Output<TFloat32> yf = dq.output(0);
        return tf.nn.biasAdd(tf.math.mul(yf, tf.constant(s)), tf.constant(b));
    }

    static Operand<TFloat32> qmmU8S8(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        Operand<?> wq = s8Const(tf, quantS8(w, s), DataType.DT_QINT8);
        Operation qx = quantizeMinFirst(tf, x);
        Operation mm = quantizedMatMul(tf, qx, wq, -127f, DataType.DT_QINT8);
        Operation dq = dequantize(tf, mm, null);
        Output<TFloat32> yf = dq.output(0);
        return tf.nn.biasAdd(tf.math.mul(yf, tf.constant(s)), tf.constant(b));
    }

    static Operand<TFloat32> qmmBiasDeq(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        float[] mins = new float[N], maxs = new float[N];
        for (int n = 0; n < N; n++) {
            maxs[n] = 127 * s[n];
            mins[n] = -maxs[n];
        }
        Operand<?> wq = s8Const(tf, quantS8(w, s), DataType.DT_QINT8);
        Operation qx = quantizeMinFirst(tf, x);
        float[] bs = new float[N];
        for (int n = 0; n < N; n++) {
            bs[n] = b[n] / s[n];
        }
        Operation mm =
                op(tf, "QuantizedMatMulWithBiasAndDequantize")
                        .addInput(qx.output(0))
                        .addInput(wq.asOutput())
                        .addInput(tf.constant(bs).asOutput())
                        .addInput(qx.output(1))
                        .addInput(qx.output(2))
                        .addInput(tf.constant(-127f).asOutput())
                        .addInput(tf.constant(127f).asOutput())
                        .addInput(tf.constant(0f).asOutput())
                        .addInput(tf.constant(0f).asOutput())
                        .setAttr("T1", DataType.DT_QUINT8)
                        .setAttr("T2", DataType.DT_QINT8)
                        .setAttr("Tbias", DataType.DT_FLOAT)
                        .setAttr("Toutput", DataType.DT_FLOAT)
                        .setAttr("input_quant_mode", "MIN_FIRST")
                        .build();
        Output<TFloat32> y = mm.output(0);
        return tf.math.mul(y, tf.constant(s));
    }

    /**
     * x' = x - min(x) >= 0 is quantized SCALED to quint8; the kernel computes s_x*s_w*acc + bias
     * with bias = (b + min(x) * colsum(W)) [/ s_w per channel].
     */
    static Operand<TFloat32> qmmScaled(
            Ops tf, Operand<TFloat32> x, float[] w, float[] b, boolean perChannel) {
        float[] s;
        if (perChannel) {
            s = colScales(w);
        } else {
            float m = 0;
            for (float v : w) m = Math.max(m, Math.abs(v));
            s = new float[N];
            Arrays.fill(s, m / LEVELS);
        }
        byte[] q = quantS8(w, s);
        float[] colSum = new float[N]; // of the dequantized weights, divided by s when perChannel
        for (int k = 0; k < K; k++)
            for (int n = 0; n < N; n++) colSum[n] += q[k * N + n] * (perChannel ? 1f : s[n]);
        float[] bs = new float[N];
        for (int n = 0; n < N; n++) bs[n] = perChannel ? b[n] / s[n] : b[n];
        Operand<?> wq = s8Const(tf, q, DataType.DT_QINT8);
        Operand<TFloat32> mn = minAll(tf, x);
        Operand<TFloat32> shifted = tf.math.sub(x, mn);
        Operand<TFloat32> range =
                tf.math.maximum(tf.math.sub(maxAll(tf, x), mn), tf.constant(1e-6f));
        Operation qx =
                op(tf, "QuantizeV2", shifted, tf.constant(0f), range)
                        .setAttr("T", DataType.DT_QUINT8)
                        .setAttr("mode", "SCALED")
                        .build();
        Operand<TFloat32> bias = tf.math.add(tf.constant(bs), tf.math.mul(mn, tf.constant(colSum)));
        float wmax = perChannel ? 127f : 127f * s[0];
        Operation mm =
                op(tf, "QuantizedMatMulWithBiasAndDequantize")
                        .addInput(qx.output(0))
                        .addInput(wq.asOutput())
                        .addInput(bias.asOutput())
                        .addInput(qx.output(1))
                        .addInput(qx.output(2))
                        .addInput(tf.constant(-wmax).asOutput())
                        .addInput(tf.constant(wmax).asOutput())
                        .addInput(tf.constant(0f).asOutput())
                        .addInput(tf.constant(0f).asOutput())
                        .setAttr("T1", DataType.DT_QUINT8)
                        .setAttr("T2", DataType.DT_QINT8)
                        .setAttr("Tbias", DataType.DT_FLOAT)
                        .setAttr("Toutput", DataType.DT_FLOAT)
                        .setAttr("input_quant_mode", "SCALED")
                        .build();
        Output<TFloat32> y = mm.output(0);
        return perChannel ? tf.math.mul(y, tf.constant(s)) : y;
    }

    static Operand<TFloat32> hybrid(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        Operand<?> wq = s8Const(tf, quantS8(w, s), DataType.DT_QINT8);
        Operation d =
                op(tf, "UniformQuantizedDotHybrid", x, wq, tf.constant(s), tf.constant(new int[N]))
                        .setAttr("Tlhs", DataType.DT_FLOAT)
                        .setAttr("Trhs", DataType.DT_QINT8)
                        .setAttr("Tout", DataType.DT_FLOAT)
                        .setAttr("rhs_quantization_axis", 1L)
                        .setAttr("rhs_quantization_min_val", -127L)
                        .setAttr("rhs_quantization_max_val", 127L)
                        .build();
        Output<TFloat32> y = d.output(0);
        return tf.nn.biasAdd(y, tf.constant(b));
    }

    static Operand<TFloat32> uniformDot(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        Operand<?> wq = s8Const(tf, quantS8(w, s), DataType.DT_QINT8);
        Operand<TFloat32> sx = tf.math.div(absMax(tf, x), tf.constant(127f));
        Operation qx =
                op(tf, "UniformQuantize", x, sx, tf.constant(0))
                        .setAttr("Tin", DataType.DT_FLOAT)
                        .setAttr("Tout", DataType.DT_QINT8)
                        .setAttr("quantization_axis", -1L)
                        .setAttr("quantization_min_val", -127L)
                        .setAttr("quantization_max_val", 127L)
                        .build();
        // output scale per column = sx * s[n]
        Operand<TFloat32> outScales = tf.math.mul(sx, tf.constant(s));
        Operation d =
                op(tf, "UniformQuantizedDot")
                        .addInput(qx.output(0))
                        .addInput(wq.asOutput())
                        .addInput(sx.asOutput())
                        .addInput(tf.constant(0).asOutput())
                        .addInput(tf.constant(s).asOutput())
                        .addInput(tf.constant(new int[N]).asOutput())
                        .addInput(outScales.asOutput())
                        .addInput(tf.constant(new int[N]).asOutput())
                        .setAttr("Tin", DataType.DT_QINT8)
                        .setAttr("Tout", DataType.DT_QINT32)
                        .setAttr("lhs_quantization_axis", -1L)
                        .setAttr("lhs_quantization_min_val", -127L)
                        .setAttr("lhs_quantization_max_val", 127L)
                        .setAttr("rhs_quantization_axis", 1L)
                        .setAttr("rhs_quantization_min_val", -127L)
                        .setAttr("rhs_quantization_max_val", 127L)
                        .setAttr("output_quantization_axis", 1L)
                        .setAttr("output_quantization_min_val", (long) Integer.MIN_VALUE)
                        .setAttr("output_quantization_max_val", (long) Integer.MAX_VALUE)
                        .build();
        Operation dq =
                op(tf, "UniformDequantize")
                        .addInput(d.output(0))
                        .addInput(outScales.asOutput())
                        .addInput(tf.constant(new int[N]).asOutput())
                        .setAttr("Tin", DataType.DT_QINT32)
                        .setAttr("Tout", DataType.DT_FLOAT)
                        .setAttr("quantization_axis", 1L)
                        .setAttr("quantization_min_val", (long) Integer.MIN_VALUE)
                        .setAttr("quantization_max_val", (long) Integer.MAX_VALUE)
                        .build();
        Output<TFloat32> y = dq.output(0);
        return tf.nn.biasAdd(y, tf.constant(b));
    }

    static Operand<TFloat32> bmmInt8(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        Operand<?> wq = s8Const(tf, quantS8(w, s), DataType.DT_INT8);
        Operand<TFloat32> sx = tf.math.div(absMax(tf, x), tf.constant(127f));
        Operand<?> xq =
                op(tf, "Cast", tf.math.round(tf.math.div(x, sx)))
                        .setAttr("SrcT", DataType.DT_FLOAT)
                        .setAttr("DstT", DataType.DT_INT8)
                        .build()
                        .output(0);
        Operation mm =
                op(tf, "BatchMatMulV3", xq, wq)
                        .setAttr("Ta", DataType.DT_INT8)
                        .setAttr("Tb", DataType.DT_INT8)
                        .setAttr("Tout", DataType.DT_INT32)
                        .build();
        Output<TInt32> acc = mm.output(0);
        return tf.nn.biasAdd(
                tf.math.mul(tf.dtypes.cast(acc, TFloat32.class), tf.math.mul(sx, tf.constant(s))),
                tf.constant(b));
    }

    static Operand<TFloat32> mmInt32(Ops tf, Operand<TFloat32> x, float[] w, float[] b) {
        float[] s = colScales(w);
        byte[] q = quantS8(w, s);
        int[] qi = new int[q.length];
        for (int i = 0; i < q.length; i++) {
            qi[i] = q[i];
        }
        Operand<TInt32> wq = tf.constant(Shape.of(K, N), DataBuffers.of(qi, true, false));
        Operand<TFloat32> sx = tf.math.div(absMax(tf, x), tf.constant(127f));
        Operand<TInt32> xq = tf.dtypes.cast(tf.math.round(tf.math.div(x, sx)), TInt32.class);
        Operand<TInt32> acc = tf.linalg.matMul(xq, wq);
        return tf.nn.biasAdd(
                tf.math.mul(tf.dtypes.cast(acc, TFloat32.class), tf.math.mul(sx, tf.constant(s))),
                tf.constant(b));
    }
}
