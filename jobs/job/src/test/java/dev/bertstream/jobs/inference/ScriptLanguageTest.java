package dev.bertstream.jobs.inference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptLanguageTest {

    @Test
    void eachScriptWithALanguageNamesIt() {
        assertThat(ScriptLanguage.detect("你好，我的快递到哪里了？")).isEqualTo("zh");
        assertThat(ScriptLanguage.detect("注文をキャンセルしたいです")).isEqualTo("ja");
        assertThat(ScriptLanguage.detect("배송이 너무 늦어요")).isEqualTo("ko");
        assertThat(ScriptLanguage.detect("где моя посылка")).isEqualTo("ru");
        assertThat(ScriptLanguage.detect("أين طردي")).isEqualTo("ar");
        assertThat(ScriptLanguage.detect("พัสดุของฉันอยู่ที่ไหน")).isEqualTo("th");
    }

    @Test
    void latinTextAndTextWithoutLettersHaveNoLanguage() {
        assertThat(ScriptLanguage.detect("where is my parcel?")).isNull();
        assertThat(ScriptLanguage.detect("où est mon colis ?")).isNull();
        assertThat(ScriptLanguage.detect("12345 !!! :)")).isNull();
        assertThat(ScriptLanguage.detect("")).isNull();
    }

    @Test
    void theScriptOfMostWordsWinsCountingEachHanCharacterAsAWord() {
        // Four Han words against one Latin word.
        assertThat(ScriptLanguage.detect("我的iPhone坏了")).isEqualTo("zh");
        // Four Latin words against two Han characters.
        assertThat(ScriptLanguage.detect("I love 寿司 so much")).isNull();
        // A tie goes to Latin: no guess.
        assertThat(ScriptLanguage.detect("ok 好")).isNull();
    }

    @Test
    void onlyTheOpeningOfALongTextIsRead() {
        String chineseThenEnglish =
                "这".repeat(ScriptLanguage.MAX_SCANNED_CHARS) + " word".repeat(5000);
        assertThat(ScriptLanguage.detect(chineseThenEnglish)).isEqualTo("zh");
    }

    @Test
    void kanjiCountAsJapaneseWhenTheTextHasKana() {
        assertThat(ScriptLanguage.detect("東京駅で待っています")).isEqualTo("ja");
        assertThat(ScriptLanguage.detect("东京站等你")).isEqualTo("zh");
    }
}
