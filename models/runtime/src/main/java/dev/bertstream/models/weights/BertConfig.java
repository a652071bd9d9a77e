package dev.bertstream.models.weights;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Shape hyper-parameters of a BERT-family encoder, named as in a Hugging Face {@code config.json}.
 *
 * @param vocabSize rows of the word embedding table
 * @param hiddenSize width of every hidden state
 * @param numLayers number of transformer blocks
 * @param numHeads attention heads per block ({@code hiddenSize} must divide evenly)
 * @param intermediateSize width of the feed-forward inner layer
 * @param maxPositions rows of the position embedding table (the longest sequence the encoder
 *     accepts)
 * @param typeVocabSize rows of the segment (token type) embedding table: 0 when the encoder has
 *     none (DistilBERT), 1 when every token adds the same row (RoBERTa)
 * @param layerNormEps epsilon added to the variance in every LayerNorm
 * @param positionPaddingIdx {@code null} for BERT's position ids {@code 0, 1, 2, ...}; otherwise
 *     RoBERTa's: tokens whose id is this padding id get position {@code positionPaddingIdx}, the
 *     others count on from {@code positionPaddingIdx + 1} (Hugging Face's {@code
 *     create_position_ids_from_input_ids})
 * @param rotary {@code null} for BERT's post-LayerNorm layers with a position table; otherwise
 *     ModernBERT's pre-LayerNorm layers with rotary positions, GeGLU feed-forward and
 *     sliding-window attention
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BertConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_hidden_layers") int numLayers,
        @JsonProperty("num_attention_heads") int numHeads,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("max_position_embeddings") int maxPositions,
        @JsonProperty("type_vocab_size") int typeVocabSize,
        @JsonProperty("layer_norm_eps") double layerNormEps,
        @JsonProperty("position_padding_idx") Integer positionPaddingIdx,
        @JsonProperty("rotary") RotaryAttention rotary) {

    /** A BERT config: position ids from 0. */
    public BertConfig(
            int vocabSize,
            int hiddenSize,
            int numLayers,
            int numHeads,
            int intermediateSize,
            int maxPositions,
            int typeVocabSize,
            double layerNormEps) {
        this(
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                maxPositions,
                typeVocabSize,
                layerNormEps,
                null,
                null);
    }

    @JsonCreator
    public BertConfig {
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(hiddenSize > 0, "hidden_size must be positive, got " + hiddenSize);
        require(numLayers > 0, "num_hidden_layers must be positive, got " + numLayers);
        require(
                numHeads > 0 && hiddenSize % numHeads == 0,
                "hidden_size "
                        + hiddenSize
                        + " must be a multiple of num_attention_heads "
                        + numHeads);
        require(
                intermediateSize > 0,
                "intermediate_size must be positive, got " + intermediateSize);
        require(maxPositions > 0, "max_position_embeddings must be positive, got " + maxPositions);
        require(typeVocabSize >= 0, "type_vocab_size must not be negative, got " + typeVocabSize);
        require(layerNormEps > 0, "layer_norm_eps must be positive, got " + layerNormEps);
        require(
                positionPaddingIdx == null
                        || (positionPaddingIdx >= 0 && positionPaddingIdx + 1 < maxPositions),
                "position padding id " + positionPaddingIdx + " leaves no positions");
    }

    /**
     * The longest sequence the position table covers: {@code maxPositions}, less the {@code
     * positionPaddingIdx + 1} rows RoBERTa reserves.
     */
    public int maxSequenceLength() {
        return positionPaddingIdx == null ? maxPositions : maxPositions - positionPaddingIdx - 1;
    }

    /** Whether this is a ModernBERT encoder (rotary positions, GeGLU, pre-LayerNorm). */
    public boolean isModernBert() {
        return rotary != null;
    }

    /** Whether the encoder has a token type (segment) embedding table. */
    public boolean hasTokenTypes() {
        return typeVocabSize > 0;
    }

    /** Width of one attention head. */
    public int headSize() {
        return hiddenSize / numHeads;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid BERT config: " + message);
        }
    }
}
