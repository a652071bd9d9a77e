package dev.bertstream.models.training.pretrain;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;

/**
 * Splits a text into words with ICU's word break rules, which segment Chinese and Japanese with a
 * dictionary: what whole-word masking needs, since BERT's tokenizer sees every Chinese character as
 * its own word.
 */
final class WordSegmenter {

    /** Per character of {@code text}, the index of the word it belongs to. */
    static int[] wordIndexOfChars(String text) {
        int[] word = new int[text.length()];
        BreakIterator it = BreakIterator.getWordInstance(ULocale.ROOT);
        it.setText(text);
        int index = 0;
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            for (int c = start; c < end; c++) {
                word[c] = index;
            }
            index++;
        }
        return word;
    }

    private WordSegmenter() {}
}
