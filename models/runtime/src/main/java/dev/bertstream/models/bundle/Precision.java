package dev.bertstream.models.bundle;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.Locale;

/** The numeric precision of a bundle's encoder, recorded as {@code precision} in bundle.json. */
@PublicEvolving
public enum Precision {
    /** Float32 throughout; bundles without a {@code precision} field. */
    FLOAT32("float32"),
    /**
     * Int8 dense layers (weights per output column, activations per batch); the rest float32. Runs
     * only where TensorFlow uses oneDNN.
     */
    INT8("int8");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    /** The name in bundle.json. */
    public String id() {
        return id;
    }

    /** The precision named {@code id}; {@code null} means float32 (bundles written before). */
    public static Precision parse(String id) {
        if (id == null) {
            return FLOAT32;
        }
        for (Precision p : values()) {
            if (p.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "Unknown precision '"
                        + id
                        + "'; known: "
                        + Arrays.stream(values()).map(Precision::id).toList());
    }
}
