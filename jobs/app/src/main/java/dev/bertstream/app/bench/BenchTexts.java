package dev.bertstream.app.bench;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Benchmark inputs: a realistic chat-length mix, and texts of an exact token length. */
@Internal
public final class BenchTexts {

    private static final String[] PHRASES = {
        "hi",
        "thanks",
        "where is my order",
        "my card was charged twice",
        "can I talk to a human",
        "the app crashes when I open settings",
        "I want to cancel my subscription",
        "this is great, love it",
        "still waiting for a refund after two weeks",
        "password reset email never arrived",
        "how do I change the delivery address",
        "you people are useless",
        "ok",
        "lol that's funny",
        "is there a discount for students",
        "my package says delivered but it is not here",
        "please close my account and delete my data",
        "the new update drained my battery overnight"
    };

    private BenchTexts() {}

    /**
     * Chat lines: 60% short (one phrase), 30% medium (2-5 phrases), 10% long (10-40 phrases, often
     * truncated).
     */
    public static List<String> chatMix(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            int phrases = u < 0.6 ? 1 : u < 0.9 ? 2 + r.nextInt(4) : 10 + r.nextInt(31);
            StringBuilder sb = new StringBuilder();
            for (int p = 0; p < phrases; p++) {
                sb.append(PHRASES[r.nextInt(PHRASES.length)])
                        .append(r.nextInt(4) == 0 ? ". " : " ");
            }
            out.add(sb.toString().trim());
        }
        return out;
    }

    /**
     * {@code n} texts that tokenize to exactly {@code tokens} tokens with an uncased BERT
     * vocabulary.
     */
    static List<String> fixedLength(int n, int tokens) {
        String text = "hello ".repeat(tokens - 2).trim();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(text);
        }
        return out;
    }
}
