package dev.bertstream.models.tokenizer;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A tokenized text and where each token came from.
 *
 * @param tokens the token ids and segment ids
 * @param starts per token, the first character of the text it covers; -1 for special tokens
 * @param ends per token, one past the last character it covers; -1 for special tokens
 */
@PublicEvolving
public record TokenSpans(TokenizedText tokens, int[] starts, int[] ends) {}
