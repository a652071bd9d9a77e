package dev.bertstream.jobs.testutils;

import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Drives the task mailbox of an operator test harness, where an asynchronous operator's results
 * (and timers) arrive as mail: the harness runs no mailbox loop of its own.
 */
public final class HarnessMailbox {

    private HarnessMailbox() {}

    /** Moves processing time to {@code millis} and runs the timers' mail. */
    public static void advance(AbstractStreamOperatorTestHarness<?> h, long millis)
            throws Exception {
        h.setProcessingTime(millis);
        while (runOneMail(h)) {}
    }

    /** Runs the oldest waiting mail of the task, if there is one. */
    public static boolean runOneMail(AbstractStreamOperatorTestHarness<?> h) throws Exception {
        Optional<Mail> mail = h.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
        if (mail.isEmpty()) {
            return false;
        }
        mail.get().run();
        return true;
    }

    /** Runs the task's mail (inference results, retries) until {@code done} or 60 s. */
    public static void drainUntil(AbstractStreamOperatorTestHarness<?> h, BooleanSupplier done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (runOneMail(h)) {
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the operator's output");
            }
            Thread.sleep(2);
        }
    }
}
