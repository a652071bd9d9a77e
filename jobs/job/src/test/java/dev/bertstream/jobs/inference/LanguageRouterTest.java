package dev.bertstream.jobs.inference;

import dev.bertstream.events.TextEvent;
import dev.bertstream.jobs.testutils.Events;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LanguageRouterTest {

    private final LanguageRouter router = new LanguageRouter(List.of("zh", "zh-Hant", "ja"));

    @Test
    void withoutALangTagTheTextsScriptPicksTheBundle() {
        assertThat(router.route(event("这个服务太差了，我要退款", null))).isEqualTo("zh");
        assertThat(router.route(event("荷物はまだ届いていません", null))).isEqualTo("ja");
        assertThat(router.route(event("where is my parcel?", null)))
                .isEqualTo(LanguageRouter.DEFAULT);
        // Korean has no bundle here: the default one.
        assertThat(router.route(event("배송이 늦어요", null))).isEqualTo(LanguageRouter.DEFAULT);
    }

    @Test
    void aLangTagWinsOverTheScriptAndMatchesItsLongestConfiguredPrefix() {
        assertThat(router.route(event("这个服务太差了", "en"))).isEqualTo(LanguageRouter.DEFAULT);
        assertThat(router.route(event("where is my parcel?", "zh-CN"))).isEqualTo("zh");
        assertThat(router.route(event("where is my parcel?", "zh_Hant_TW"))).isEqualTo("zh-hant");
        assertThat(router.route(event("where is my parcel?", "JA"))).isEqualTo("ja");
        assertThat(router.route(event("这个服务太差了", "zhx"))).isEqualTo(LanguageRouter.DEFAULT);
    }

    @Test
    void anUndeterminedOrBlankTagFallsBackToTheScript() {
        assertThat(router.route(event("这个服务太差了", "und"))).isEqualTo("zh");
        assertThat(router.route(event("这个服务太差了", ""))).isEqualTo("zh");
    }

    @Test
    void withoutLanguageBundlesEveryEventGoesToTheDefault() {
        LanguageRouter none = new LanguageRouter(List.of());
        assertThat(none.route(event("这个服务太差了", "zh"))).isEqualTo(LanguageRouter.DEFAULT);
    }

    @Test
    void aTagThatIsNotALanguageIsRefused() {
        assertThatThrownBy(() -> new LanguageRouter(List.of("chinese")))
                .hasMessageContaining("'chinese'");
        assertThatThrownBy(() -> new LanguageRouter(List.of(LanguageRouter.DEFAULT)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static TextEvent event(String text, String lang) {
        return TextEvent.newBuilder(Events.event("1", "k", text)).setLang(lang).build();
    }
}
