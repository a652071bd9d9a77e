package dev.bertstream.app.local;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that must know their port before they bind (a Kafka controller named
 * in its quorum voters, a broker restarted on the ports its clients know).
 *
 * <p>Asking the kernel for port 0 and closing the socket again leaves a window in which the same
 * port is handed to someone else: the next {@code bind(0)}, or the local end of any outgoing
 * connection (a client reconnecting to a restarting broker makes many). The server then fails to
 * bind ("Received a fatal error while waiting for all of the SocketServer Acceptors to be
 * started"). So ports come from below the kernel's ephemeral range ({@code
 * /proc/sys/net/ipv4/ip_local_port_range}), where neither ever lands, and never twice from one JVM.
 */
@Internal
public final class FreePorts {

    private static final int LOWEST = 10_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    /**
     * A port free on loopback now, outside the ephemeral range when the system leaves room below
     * it, and not returned before by this JVM.
     */
    public static int reserve() throws IOException {
        int end = ephemeralStart();
        if (end - LOWEST < 1_000) {
            return kernelChosen();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(LOWEST, end);
            if (HANDED_OUT.add(port)) {
                if (isFree(port)) {
                    return port;
                }
            }
        }
        throw new IOException("no free loopback port in " + LOWEST + ".." + (end - 1));
    }

    /** The first port of the kernel's ephemeral range. */
    static int ephemeralStart() {
        // Files.readString trusts the size procfs reports and returns one byte of this file.
        try (InputStream in = Files.newInputStream(EPHEMERAL_RANGE)) {
            String[] range =
                    new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no procfs: the IANA dynamic range starts at 49152, Linux's default at
            // 32768; staying below the lower serves both.
            return DEFAULT_EPHEMERAL_START;
        }
    }

    /** Whether {@code port} can be bound on loopback now. */
    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChosen() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
        throw new IOException("the kernel kept handing out ports already in use");
    }
}
