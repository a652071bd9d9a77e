package dev.bertstream.app.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuShareTest {

    @Test
    void machineJiffiesCountIdleAndIowaitAsNotBusy() {
        long[] j = CpuShare.machineJiffies("cpu  100 5 50 800 40 3 2 0 0 0");
        assertThat(j[1]).isEqualTo(1000);
        assertThat(j[0]).isEqualTo(160);
    }

    @Test
    void processJiffiesSkipACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (demo) x) S 1 2 3 4 5 6 7 8 9 10 700 300 0 0 20 0 80";
        assertThat(CpuShare.processJiffies(stat)).isEqualTo(1000);
    }

    @Test
    void othersAreTheMachinesBusyTimeMinusThisProcesss() {
        // 2 cores, 1000 jiffies elapsed in total: 1500 busy of which 1200 were this process.
        CpuShare.Cores c = CpuShare.cores(new long[] {0, 0, 0}, new long[] {1500, 2000, 1200}, 2);
        assertThat(c.self()).isCloseTo(1.2, within(1e-9));
        assertThat(c.others()).isCloseTo(0.3, within(1e-9));
        assertThat(c.contended()).isTrue();
    }

    @Test
    void busyWorkInThisProcessIsCountedAsItsOwn() {
        CpuShare share = CpuShare.start();
        org.junit.jupiter.api.Assumptions.assumeTrue(share != null, "needs Linux /proc");
        long until = System.nanoTime() + 300_000_000L;
        double x = 0;
        while (System.nanoTime() < until) {
            x += Math.sqrt(x + 1);
        }
        CpuShare.Cores c = share.since();
        assertThat(x).isPositive();
        assertThat(c.self()).isPositive();
    }
}
