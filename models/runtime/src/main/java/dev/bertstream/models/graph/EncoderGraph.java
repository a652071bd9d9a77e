package dev.bertstream.models.graph;

import org.apache.flink.annotation.PublicEvolving;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.Map;

/** Handles to the inputs and outputs of a graph built by {@link BertGraphBuilder}. */
@PublicEvolving
public record EncoderGraph(
        Operand<TInt32> inputIds,
        Operand<TInt32> attentionMask,
        Operand<TInt32> tokenTypeIds,
        Operand<TFloat32> lastHiddenState,
        Operand<TFloat32> embedding,
        Map<String, Operand<TFloat32>> logits,
        Map<String, Operand<TFloat32>> probabilities) {

    public EncoderGraph {
        logits = Map.copyOf(logits);
        probabilities = Map.copyOf(probabilities);
    }
}
