package dev.bertstream.models.tokenizer;

import org.apache.flink.annotation.PublicEvolving;

/**
 * One tokenized text (or pair), unpadded: exactly the real tokens, [CLS] and [SEP] included.
 *
 * @param inputIds token ids
 * @param typeIds segment ids (0 for the first sentence, 1 for the second)
 * @param truncated whether tokens beyond the max length were dropped
 */
@PublicEvolving
public record TokenizedText(int[] inputIds, int[] typeIds, boolean truncated) {

    /** Number of tokens. */
    public int length() {
        return inputIds.length;
    }
}
