package dev.slogate.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a loopback port that holds every chunk sent towards the pod for {@code delay} before forwarding it:
 * the sandbox's latency fault ({@code tc netem} is not available here). Answers flow back undelayed.
 */
final class DelayProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Duration delay;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    DelayProxy(int targetPort, Duration delay) throws IOException {
        this.targetPort = targetPort;
        this.delay = delay;
        server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "delay-proxy-" + targetPort);
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Duration delay() {
        return delay;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
                } catch (IOException e) {
                    client.close(); // the pod is down: the client sees a refused/closed connection, as without the proxy
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean delayed) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (delayed) {
                        Thread.sleep(delay.toMillis());
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "delay-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(this::closeQuietly);
    }
}
