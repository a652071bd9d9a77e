package dev.bertstream.models.weights;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * ModernBERT's attention layout: rotary position embeddings instead of a position table, every
 * {@code globalEvery}-th layer attending globally and the others within a sliding window.
 *
 * @param globalTheta rotary base of the global layers ({@code global_rope_theta})
 * @param localTheta rotary base of the sliding-window layers ({@code local_rope_theta})
 * @param globalEvery layer {@code i} is global when {@code i % globalEvery == 0} ({@code
 *     global_attn_every_n_layers})
 * @param localWindow window width of the other layers: a token sees those at most {@code
 *     localWindow / 2} positions away ({@code local_attention})
 */
public record RotaryAttention(
        @JsonProperty("global_rope_theta") double globalTheta,
        @JsonProperty("local_rope_theta") double localTheta,
        @JsonProperty("global_attn_every_n_layers") int globalEvery,
        @JsonProperty("local_attention") int localWindow) {

    @JsonCreator
    public RotaryAttention {
        if (globalTheta <= 0 || localTheta <= 0 || globalEvery <= 0 || localWindow <= 0) {
            throw new IllegalArgumentException(
                    "Invalid rotary attention: thetas, global_attn_every_n_layers and"
                            + " local_attention must be positive");
        }
    }

    /** Whether layer {@code i} attends to the whole sequence. */
    public boolean isGlobal(int layer) {
        return layer % globalEvery == 0;
    }
}
