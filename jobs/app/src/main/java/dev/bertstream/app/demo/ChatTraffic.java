package dev.bertstream.app.demo;

import org.apache.flink.annotation.Internal;

import java.util.Random;

/**
 * Synthetic but realistic support-chat traffic for the demo and pipeline benchmarks: English and
 * Chinese, positive and negative, toxic, every support intent, out-of-scope chatter, short lines
 * and long rants. Deterministic for a seed.
 */
@Internal
public final class ChatTraffic {

    private static final String[][] BY_KIND = {
        { // billing
            "why was I charged twice this month",
            "my invoice shows the wrong amount",
            "can u explain this $49.99 charge??",
            "I was billed after I cancelled, pls fix"
        },
        { // cancel
            "I want to cancel my subscription",
            "how do I end my plan",
            "cancel my account today please",
            "stop renewing my membership"
        },
        { // technical_issue
            "the app crashes every time I open settings",
            "login page just spins forever",
            "error 500 when I upload a file",
            "the new update killed my battery"
        },
        { // account_access
            "I can't log in, password reset mail never arrives",
                    "my account got locked after 3 tries",
            "how do I change the email on my account", "2FA code not working"
        },
        { // shipping
            "where is my parcel? order #48213",
            "tracking hasn't updated in 5 days",
            "do you ship to Canada",
            "package says delivered but it's not here"
        },
        { // greeting
            "hi", "hello there!", "good morning :)", "hey, anyone around?"
        },
        { // human_agent
            "can I talk to a real person",
            "get me a human agent now",
            "I want to speak to a manager",
            "stop the bot, connect me to support staff"
        },
        { // positive
            "thanks a lot, that fixed it!",
            "you guys are awesome ❤️",
            "super fast delivery, love it",
            "great service, will recommend"
        },
        { // toxic
            "you are all useless idiots", "this company is a scam and you're a pathetic liar",
            "shut up and fix it, moron", "I'll find where you live if this isn't fixed"
        },
        { // out of scope
            "what's the weather in Paris tomorrow",
            "tell me a joke",
            "who won the football game last night",
            "recipe for banana bread?"
        },
        { // Chinese
            "你好，我的快递到哪里了？", "这个服务太差了，我要退款", "谢谢，问题已经解决了", "请帮我取消订单", "房间很干净，服务也很好", "客服态度很差，再也不买了"
        }
    };

    private final Random random;

    public ChatTraffic(long seed) {
        this.random = new Random(seed);
    }

    /** The next chat message. About 1 in 10 is a long multi-sentence message. */
    public String nextText() {
        String[] kind = BY_KIND[random.nextInt(BY_KIND.length)];
        String text = kind[random.nextInt(kind.length)];
        if (random.nextInt(10) == 0) {
            StringBuilder sb = new StringBuilder(text);
            int extra = 3 + random.nextInt(12);
            for (int i = 0; i < extra; i++) {
                String[] k = BY_KIND[random.nextInt(BY_KIND.length - 1)];
                sb.append(". ").append(k[random.nextInt(k.length)]);
            }
            text = sb.toString();
        }
        return random.nextInt(8) == 0 ? text.toUpperCase(java.util.Locale.ROOT) : text;
    }

    /** A conversation key out of {@code conversations}, skewed so a few conversations are busy. */
    public String nextKey(int conversations) {
        int k =
                (int)
                        Math.min(
                                conversations - 1,
                                Math.abs(random.nextGaussian()) * conversations / 3);
        return "conv-" + k;
    }

    /** Whether the next record should be malformed, with the given probability. */
    public boolean nextMalformed(double probability) {
        return random.nextDouble() < probability;
    }

    /**
     * Raw bytes that no decoder accepts, of one of several kinds (garbage, wrong magic, truncated
     * JSON).
     */
    public byte[] malformedValue() {
        switch (random.nextInt(4)) {
            case 0:
                byte[] garbage = new byte[1 + random.nextInt(64)];
                random.nextBytes(garbage);
                garbage[0] = 0x7f;
                return garbage;
            case 1:
                return new byte[] {0, 0, 0, 0x03, (byte) 0xe7, 0x02};
            case 2:
                return "{\"event_id\": \"x\", \"text\": "
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            default:
                return "{\"event_id\": 12, \"key\": [], \"text\": true}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
