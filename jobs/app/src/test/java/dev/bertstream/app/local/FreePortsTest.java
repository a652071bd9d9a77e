package dev.bertstream.app.local;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class FreePortsTest {

    @Test
    void reservedPortsAreDistinctBindableAndBelowTheEphemeralRange() throws Exception {
        assumeThat(Files.exists(Path.of("/proc/sys/net/ipv4/ip_local_port_range")))
                .as("Linux procfs")
                .isTrue();
        int ephemeralStart = FreePorts.ephemeralStart();
        assumeThat(ephemeralStart).as("room below the ephemeral range").isGreaterThan(11_000);

        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ports.add(FreePorts.reserve());
        }

        assertThat(ports).hasSize(200).allMatch(p -> p >= 10_000 && p < ephemeralStart);
        List<ServerSocket> bound = new ArrayList<>();
        try {
            for (int p : ports.stream().limit(20).toList()) {
                bound.add(new ServerSocket(p, 1, InetAddress.getLoopbackAddress()));
            }
        } finally {
            for (ServerSocket s : bound) {
                s.close();
            }
        }
        assertThat(bound).hasSize(20);
    }
}
