package dev.bertstream.app.local;

import org.apache.flink.annotation.Internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of one broker listener that can cut the network: {@link #cut()}
 * resets every open connection and leaves new ones hanging unanswered (like packets dropped on a
 * partition) until {@link #restore()}.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(0, brokerPort)) {
 *     proxy.cut(); // clients time out
 *     proxy.restore(); // and reconnect
 * }
 * }</pre>
 */
@Internal
public final class TcpProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService threads =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "tcp-proxy");
                        t.setDaemon(true);
                        return t;
                    });
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final Set<Socket> parked = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong resetByCut = new AtomicLong();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
    }

    /**
     * Listens on loopback {@code port} (0 for any free port) and forwards to {@code targetPort}.
     */
    public static TcpProxy start(int port, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(LOOPBACK, port), 128);
        TcpProxy proxy = new TcpProxy(server, targetPort);
        proxy.threads.execute(proxy::acceptLoop);
        return proxy;
    }

    /** The port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Resets all connections; new ones are accepted but never answered until {@link #restore}. */
    public void cut() {
        cut = true;
        for (Socket s : new ArrayList<>(live)) {
            reset(s);
            resetByCut.incrementAndGet();
        }
    }

    /** Lets traffic through again; connections that hung during the cut are reset. */
    public void restore() {
        cut = false;
        for (Socket s : new ArrayList<>(parked)) {
            reset(s);
            parked.remove(s);
        }
    }

    public boolean isCut() {
        return cut;
    }

    /** Connections accepted and forwarded since start. */
    public long forwardedConnections() {
        return accepted.get();
    }

    /** Socket ends (client and broker side) that cuts have reset. */
    public long resetByCuts() {
        return resetByCut.get();
    }

    /** Connections that arrived during a cut and were never answered. */
    public long blackholedConnections() {
        return refused.get();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cut();
        restore();
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                refused.incrementAndGet();
                parked.add(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(LOOPBACK, targetPort), 5_000);
            } catch (IOException e) {
                reset(client); // the broker is down: the client sees a refused connection
                continue;
            }
            accepted.incrementAndGet();
            live.add(client);
            live.add(upstream);
            threads.execute(() -> pump(client, upstream));
            threads.execute(() -> pump(upstream, client));
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (cut) {
                    break;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side closed or was reset
        } finally {
            reset(from);
            reset(to);
        }
    }

    private void reset(Socket s) {
        live.remove(s);
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0); // RST, not FIN: the peer learns at once
            }
        } catch (IOException ignored) {
            // already gone
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Cuts or restores all of {@code proxies}. */
    public static void cutAll(List<TcpProxy> proxies) {
        proxies.forEach(TcpProxy::cut);
    }

    /** Restores all of {@code proxies}. */
    public static void restoreAll(List<TcpProxy> proxies) {
        proxies.forEach(TcpProxy::restore);
    }
}
