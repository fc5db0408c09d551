package dev.slogate.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy on a loopback port that holds every chunk for {@code delay} before forwarding it, in one direction:
 * towards the target (the sandbox's latency fault; {@code tc netem} is not available here; answers flow back
 * undelayed), or from the target back (the database's replication lag: WAL streamed to the standby arrives late).
 * Each chunk is stamped when read and written when its delay is over, so a steady stream lags by {@code delay}
 * instead of piling up. Closing the proxy drops what it still holds, like a cut link.
 */
final class DelayProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Duration delay;
    private final boolean delayAnswers;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    DelayProxy(int targetPort, Duration delay) throws IOException {
        this(targetPort, delay, false);
    }

    /** With {@code delayAnswers} the bytes from the target are delayed instead of those towards it. */
    DelayProxy(int targetPort, Duration delay, boolean delayAnswers) throws IOException {
        this(0, targetPort, delay, delayAnswers);
    }

    /** Listening on {@code listenPort} (0: any free one), so a link cut and restored keeps its address. */
    DelayProxy(int listenPort, int targetPort, Duration delay, boolean delayAnswers) throws IOException {
        this.targetPort = targetPort;
        this.delay = delay;
        this.delayAnswers = delayAnswers;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 256);
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
                pump(client, upstream, !delayAnswers);
                pump(upstream, client, delayAnswers);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    private static final Chunk EOF = new Chunk(0, new byte[0]);

    private void pump(Socket from, Socket to, boolean delayed) {
        if (!delayed) {
            daemon(() -> copy(from, to));
            return;
        }
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    queue.add(new Chunk(System.nanoTime() + delay.toNanos(), Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                queue.add(EOF);
            }
        });
        daemon(() -> {
            try (OutputStream out = to.getOutputStream()) {
                for (Chunk c = queue.take(); c != EOF; c = queue.take()) {
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    out.write(c.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private void copy(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "delay-proxy-pump");
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
