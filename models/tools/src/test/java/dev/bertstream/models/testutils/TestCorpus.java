package dev.bertstream.models.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic, varied corpus for parity tests: chat lines, long texts that hit truncation,
 * emoji, accents, URLs, mixed scripts, control characters. Built from fragments so it is easy to
 * grow.
 */
public final class TestCorpus {

    private static final String[] CHAT = {
        "hi",
        "hello there!",
        "where is my parcel??",
        "my card was charged twice, pls fix",
        "I want to cancel my subscription",
        "can I talk to a human agent",
        "the app keeps crashing when I open settings",
        "you are useless",
        "thanks a lot, that was super helpful :)",
        "I can't log in to my account since yesterday",
        "ok",
        "lol",
        "WHY IS THIS SO SLOW",
        "refund ASAP!!!",
        "no",
        "what's the weather like on Mars?",
        "my password reset email never arrived",
        "shipping to Canada?",
        "I love this product",
        "meh, it's fine I guess"
    };
    private static final String[] EXTRA = {
        "Café déjà vu, naïve résumé",
        "Ångström über straße",
        "ÉCOLE française",
        "señor piñata",
        "check https://example.com/a?b=c&d=e#frag",
        "mail me at someone@example.org",
        "call +1 (555) 010-9999",
        "😀😃😄 great 👍🏽",
        "❤️🔥 #blessed",
        "price: $1,299.99 or €1.099,00",
        "2024-11-23T10:15:30Z",
        "ÀÉÎÕÜ àéîõü",
        "Ελληνικά κείμενα",
        "Привет, как дела?",
        "مرحبا بالعالم",
        "שלום עולם",
        "नमस्ते दुनिया",
        "こんにちは世界",
        "안녕하세요 세계",
        "中文和English混合text",
        "tab\tseparated\tvalues",
        "line\nbreak\r\nhere",
        "zero\u200bwidth",
        "combining e\u0301 accent",
        "control\u0007bell\u0000nul",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "!!!???...,,,;;;",
        "   leading and trailing   ",
        "ALL CAPS SHOUTING",
        "CamelCaseWordsHere",
        "snake_case_words",
        "#hashtag @mention",
        "3.14159 2.71828 1e-9",
        "<b>html</b> &amp; entities",
        "{\"json\": true}"
    };
    private static final String[] ZH = {
        "你好",
        "我的快递到哪里了？",
        "这家酒店的服务非常好，房间干净整洁。",
        "太差了，再也不来了！",
        "请帮我取消订单",
        "价格有点贵，但是位置很方便",
        "早餐种类很少，味道一般。",
        "前台态度冷淡",
        "推荐给大家，性价比很高",
        "空调坏了没人修",
        "网速很慢",
        "房间有异味",
        "交通便利，离地铁站很近",
        "服务员很热情",
        "下次还会再来",
        "床很舒服，睡得很好",
        "隔音效果太差",
        "卫生间很脏",
        "环境优美，安静",
        "退款什么时候到账？"
    };

    private TestCorpus() {}

    /**
     * {@code n} English-leaning texts: chat lines, the special cases above, and long texts that
     * truncate.
     */
    public static List<String> english(int n) {
        Random r = new Random(42);
        List<String> out = new ArrayList<>();
        for (String s : CHAT) {
            out.add(s);
        }
        for (String s : EXTRA) {
            out.add(s);
        }
        while (out.size() < n) {
            int kind = out.size() % 4;
            if (kind == 0) {
                out.add(longText(r, 40 + r.nextInt(400)));
            } else if (kind == 1) {
                out.add(CHAT[r.nextInt(CHAT.length)] + " " + EXTRA[r.nextInt(EXTRA.length)]);
            } else if (kind == 2) {
                out.add(
                        CHAT[r.nextInt(CHAT.length)].toUpperCase()
                                + " "
                                + ZH[r.nextInt(ZH.length)]);
            } else {
                out.add(longText(r, 3 + r.nextInt(30)));
            }
        }
        return out.subList(0, n);
    }

    /** {@code n} Chinese texts, some mixed with English and some long enough to truncate. */
    public static List<String> chinese(int n) {
        Random r = new Random(7);
        List<String> out = new ArrayList<>(List.of(ZH));
        while (out.size() < n) {
            StringBuilder sb = new StringBuilder();
            int parts = out.size() % 5 == 0 ? 40 + r.nextInt(40) : 1 + r.nextInt(4);
            for (int i = 0; i < parts; i++) {
                sb.append(ZH[r.nextInt(ZH.length)]);
                if (r.nextInt(4) == 0) {
                    sb.append(' ').append(CHAT[r.nextInt(CHAT.length)]).append(' ');
                }
            }
            out.add(sb.toString());
        }
        return out.subList(0, n);
    }

    private static String longText(Random r, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            String pool =
                    r.nextInt(5) == 0
                            ? EXTRA[r.nextInt(EXTRA.length)]
                            : CHAT[r.nextInt(CHAT.length)];
            sb.append(pool).append(r.nextInt(6) == 0 ? ". " : " ");
        }
        return sb.toString().trim();
    }
}
