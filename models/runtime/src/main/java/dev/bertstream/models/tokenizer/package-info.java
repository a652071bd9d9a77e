/**
 * WordPiece tokenization for BERT: {@link dev.bertstream.models.tokenizer.BertTokenizer} turns
 * texts into {@link dev.bertstream.models.tokenizer.TokenizedText} (ids, masks, lengths) with the
 * vocabulary a bundle carries.
 */
package dev.bertstream.models.tokenizer;
