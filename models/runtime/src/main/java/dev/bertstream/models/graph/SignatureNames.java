package dev.bertstream.models.graph;

import org.apache.flink.annotation.Internal;

/**
 * Names of the serving signature's inputs and outputs, shared by the writer and every reader of a
 * bundle.
 */
@Internal
public final class SignatureNames {
    /** {@code int32 [batch, seq]}: token ids, padded with 0. */
    public static final String INPUT_IDS = "input_ids";

    /** {@code int32 [batch, seq]}: 1 for real tokens, 0 for padding. */
    public static final String ATTENTION_MASK = "attention_mask";

    /** {@code int32 [batch, seq]}: segment ids, 0 for the first sentence, 1 for the second. */
    public static final String TOKEN_TYPE_IDS = "token_type_ids";

    /** {@code float32 [batch, seq, hidden]}: the encoder output. */
    public static final String LAST_HIDDEN_STATE = "last_hidden_state";

    /** {@code float32 [batch, hidden]}: the pooled sentence embedding. */
    public static final String EMBEDDING = "embedding";

    private SignatureNames() {}

    /** {@code float32 [batch, classes]}: softmax probabilities of task {@code task}. */
    public static String probabilities(String task) {
        return task + "_probabilities";
    }

    /** {@code float32 [batch, classes]}: raw logits of task {@code task}. */
    public static String logits(String task) {
        return task + "_logits";
    }
}
