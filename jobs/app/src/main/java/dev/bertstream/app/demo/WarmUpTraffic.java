package dev.bertstream.app.demo;

import dev.bertstream.jobs.config.JobOptions;

import org.apache.flink.annotation.Internal;

import java.time.Duration;
import java.util.Properties;

/**
 * Primes a freshly started pipeline with traffic of its own ids (not counted by the caller): a cold
 * job's first seconds (source assignment, group coordinator, the sinks' first transactions and
 * commit, the JVM compiling the per-event code) are far slower than its steady state. Runs until
 * the first event is read back and at least {@code minimum} has passed, then lets every warm-up
 * event through so that none delays the caller's traffic.
 */
@Internal
public final class WarmUpTraffic {

    private WarmUpTraffic() {}

    /** Returns the milliseconds until the first warm-up event was read back. */
    public static long run(Properties client, double rate, Duration minimum) throws Exception {
        RoundTripStats warmUp = new RoundTripStats();
        TrafficGenerator traffic =
                new TrafficGenerator(client, JobOptions.INPUT_TOPIC.defaultValue(), rate, 0, warmUp)
                        .idPrefix("warm-up-");
        OutputTopicReader reader =
                new OutputTopicReader(
                        client,
                        JobOptions.LABELED_TOPIC.defaultValue(),
                        JobOptions.MODERATION_TOPIC.defaultValue(),
                        JobOptions.DEAD_LETTER_TOPIC.defaultValue(),
                        warmUp);
        Thread t1 = new Thread(traffic, "warm-up-traffic");
        Thread t2 = new Thread(reader, "warm-up-reader");
        long start = System.nanoTime();
        t1.start();
        t2.start();
        long deadline = start + 300_000_000_000L;
        while (warmUp.labeled.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long until = start + minimum.toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(50);
        }
        traffic.stop();
        t1.join();
        long drain = System.nanoTime() + 60_000_000_000L;
        while (!warmUp.allAccountedFor() && System.nanoTime() < drain) {
            Thread.sleep(100);
        }
        reader.stop();
        t2.join();
        return millis;
    }
}
