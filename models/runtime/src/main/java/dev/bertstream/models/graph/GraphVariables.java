package dev.bertstream.models.graph;

import dev.bertstream.models.weights.WeightTensor;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates one graph variable per weight tensor and fills them in a session.
 *
 * <p>Weights enter through placeholders rather than constants: constants would be serialised into
 * the GraphDef (doubling the SavedModel and hitting protobuf's 2 GB limit for large encoders),
 * while variables are written once to the SavedModel's variables checkpoint and can be trained.
 */
@PublicEvolving
public final class GraphVariables {

    private final Ops tf;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<String, ByteSlot> byteSlots = new LinkedHashMap<>();

    private record Slot(
            Variable<TFloat32> variable,
            Placeholder<TFloat32> feed,
            Operand<TFloat32> assign,
            WeightTensor value) {}

    private record ByteSlot(
            Placeholder<TUint8> feed, Operand<TUint8> assign, long[] shape, byte[] value) {}

    public GraphVariables(Ops tf) {
        this.tf = tf;
    }

    /** A variable named {@code name} holding {@code value} once {@link #assignAll} has run. */
    public Operand<TFloat32> variable(String name, WeightTensor value) {
        if (slots.containsKey(name) || byteSlots.containsKey(name)) {
            throw new IllegalStateException("Variable " + name + " defined twice");
        }
        Shape shape = Shape.of(value.shape());
        Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
        Placeholder<TFloat32> feed =
                tf.withName(name + "_feed").placeholder(TFloat32.class, Placeholder.shape(shape));
        Operand<TFloat32> assign = tf.withName(name + "_assign").assign(v, feed);
        slots.put(name, new Slot(v, feed, assign, value));
        return v;
    }

    /**
     * A {@code uint8} variable named {@code name} holding {@code bytes} (row-major, {@code shape})
     * once {@link #assignAll} has run: the stored form of int8 kernels, which TensorFlow Java has
     * no tensor type for; the graph bitcasts it to {@code qint8}.
     */
    public Operand<TUint8> byteVariable(String name, long[] shape, byte[] bytes) {
        if (slots.containsKey(name) || byteSlots.containsKey(name)) {
            throw new IllegalStateException("Variable " + name + " defined twice");
        }
        Shape s = Shape.of(shape);
        Variable<TUint8> v = tf.withName(name).variable(s, TUint8.class);
        Placeholder<TUint8> feed =
                tf.withName(name + "_feed").placeholder(TUint8.class, Placeholder.shape(s));
        Operand<TUint8> assign = tf.withName(name + "_assign").assign(v, feed);
        byteSlots.put(name, new ByteSlot(feed, assign, shape.clone(), bytes));
        return v;
    }

    /** Names of all float variables, in creation order. */
    public List<String> names() {
        return new ArrayList<>(slots.keySet());
    }

    /** The variable named {@code name}, for optimizers that update it in place. */
    public Variable<TFloat32> get(String name) {
        Slot slot = slots.get(name);
        if (slot == null) {
            throw new IllegalArgumentException("No variable " + name);
        }
        return slot.variable;
    }

    /** The current values of the named variables, read from {@code session}. */
    public Map<String, WeightTensor> read(Session session, List<String> names) {
        Map<String, WeightTensor> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, fetch(session, get(name).op().name()));
        }
        return out;
    }

    /**
     * The value of float tensor {@code tensorName} (an operation name or {@code op:index}) in
     * {@code session}.
     */
    public static WeightTensor fetch(Session session, String tensorName) {
        try (Result r = session.runner().fetch(tensorName).run()) {
            TFloat32 t = (TFloat32) r.get(0);
            float[] data = new float[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(data, false, false));
            return new WeightTensor(t.shape().asArray(), data);
        }
    }

    /** Copies every weight into its variable; run once after the graph is complete. */
    public void assignAll(Session session) {
        for (Slot slot : slots.values()) {
            try (TFloat32 t =
                    TFloat32.tensorOf(
                            Shape.of(slot.value.shape()),
                            DataBuffers.of(slot.value.data(), true, false))) {
                session.runner().feed(slot.feed, t).addTarget(slot.assign).run().close();
            }
        }
        for (ByteSlot slot : byteSlots.values()) {
            try (TUint8 t =
                    TUint8.tensorOf(
                            Shape.of(slot.shape), DataBuffers.of(slot.value, true, false))) {
                session.runner().feed(slot.feed, t).addTarget(slot.assign).run().close();
            }
        }
    }
}
