package dev.bertstream.models.graph;

import dev.bertstream.models.weights.Int8Kernel;
import dev.bertstream.models.weights.WeightTensor;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A dense layer {@code x·W + b} with an int8 kernel and activations quantised to uint8 at run time,
 * on TensorFlow's oneDNN {@code QuantizedMatMulWithBiasAndDequantize} (u8·s8 → s32 inner product,
 * float out; VNNI where the CPU has it).
 *
 * <p>Measured on TensorFlow 2.18 (TF Java 1.1): that op has a kernel only when oneDNN is on (the
 * layout pass rewrites it to {@code _MklQuantizedMatMulWithBiasAndDequantize}); its {@code
 * MIN_FIRST} input mode gives wrong results with a float bias (oneDNN 3 adds the zero-point
 * compensation unscaled), and its weight range must be a scalar. So the layer is written as:
 *
 * <ul>
 *   <li>{@code x' = x − min(x)} per batch, non-negative, quantised {@code SCALED} to uint8 over
 *       {@code [0, max(x) − min(x)]};
 *   <li>the kernel declared as spanning {@code [−127, 127]} (scale 1), so the op returns {@code
 *       s_x·Σ x'_q·q + bias} in units of each column's weight scale;
 *   <li>{@code bias = b / s_w + min(x)·Σ_k q}, which puts back the shift, then one multiply by the
 *       per-column scales {@code s_w}.
 * </ul>
 *
 * The result equals {@code x·dequantize(q) + b} up to the activations' 8-bit rounding.
 */
final class QuantizedDense {

    private QuantizedDense() {}

    /**
     * The layer on {@code x} ({@code [rows, in]}) with kernel {@code kernel} quantised to {@code
     * ±levels}; its variables are {@code <kernelName>_int8}, {@code _scale} and {@code _colsum}.
     */
    static Operand<TFloat32> dense(
            Ops o,
            GraphVariables variables,
            Operand<TFloat32> x,
            String kernelName,
            WeightTensor kernel,
            Operand<TFloat32> bias,
            int levels) {
        Int8Kernel q = Int8Kernel.quantize(kernel, levels);
        long cols = q.shape()[1];
        Operand<?> weights =
                bitcast(
                        o,
                        variables.byteVariable(kernelName + "_int8", q.shape(), q.values()),
                        DataType.DT_QINT8);
        Operand<TFloat32> scales =
                variables.variable(
                        kernelName + "_scale", new WeightTensor(new long[] {cols}, q.scales()));
        Operand<TFloat32> colSums =
                variables.variable(
                        kernelName + "_colsum",
                        new WeightTensor(new long[] {cols}, q.columnSums()));

        Operand<TInt32> all = o.constant(new int[] {0, 1});
        Operand<TFloat32> min = o.min(x, all);
        Operand<TFloat32> range = o.math.maximum(o.math.sub(o.max(x, all), min), o.constant(1e-6f));
        Operation quantized =
                o.scope()
                        .opBuilder("QuantizeV2", "QuantizeV2")
                        .addInput(o.math.sub(x, min).asOutput())
                        .addInput(o.constant(0f).asOutput())
                        .addInput(range.asOutput())
                        .setAttr("T", DataType.DT_QUINT8)
                        .setAttr("mode", "SCALED")
                        .build();
        Operand<TFloat32> shiftedBias =
                o.math.add(o.math.div(bias, scales), o.math.mul(min, colSums));
        Operation matmul =
                o.scope()
                        .opBuilder(
                                "QuantizedMatMulWithBiasAndDequantize",
                                "QuantizedMatMulWithBiasAndDequantize")
                        .addInput(quantized.output(0))
                        .addInput(weights.asOutput())
                        .addInput(shiftedBias.asOutput())
                        .addInput(quantized.output(1))
                        .addInput(quantized.output(2))
                        .addInput(o.constant(-127f).asOutput())
                        .addInput(o.constant(127f).asOutput())
                        // Frozen output range: unused for a float output.
                        .addInput(o.constant(0f).asOutput())
                        .addInput(o.constant(0f).asOutput())
                        .setAttr("T1", DataType.DT_QUINT8)
                        .setAttr("T2", DataType.DT_QINT8)
                        .setAttr("Tbias", DataType.DT_FLOAT)
                        .setAttr("Toutput", DataType.DT_FLOAT)
                        .setAttr("input_quant_mode", "SCALED")
                        .build();
        Output<TFloat32> unscaled = matmul.output(0);
        return o.math.mul(unscaled, scales);
    }

    private static Operand<?> bitcast(Ops o, Operand<?> x, DataType type) {
        return o.scope()
                .opBuilder("Bitcast", "Bitcast")
                .addInput(x.asOutput())
                .setAttr("type", type)
                .build()
                .output(0);
    }
}
