package dev.slogate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The delay link of the sandbox database: a steady stream from the target arrives {@code delay} late, not later and later. */
class DelayProxyTest {
    @Test
    @Timeout(10)
    void aStreamFromTheTargetLagsByTheDelayWithoutPilingUp() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sender = new Thread(() -> {
                try (Socket s = target.accept(); OutputStream out = s.getOutputStream()) {
                    for (int i = 0; i < 20; i++) { // one byte every 50 ms for 1 s, each carrying its send time's index
                        out.write(i);
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    // the test fails on the reading side
                }
            });
            sender.setDaemon(true);
            sender.start();
            try (DelayProxy proxy = new DelayProxy(target.getLocalPort(), Duration.ofMillis(300), true);
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                long start = System.nanoTime();
                List<Long> arrivals = new ArrayList<>();
                InputStream in = client.getInputStream();
                for (int i = 0; i < 20; i++) {
                    assertEquals(i, in.read());
                    arrivals.add((System.nanoTime() - start) / 1_000_000);
                }
                assertTrue(arrivals.get(0) >= 290, "the first byte waits for the delay: " + arrivals);
                // serial sleeping would deliver the last byte after 20 x 300 ms; stamping keeps it at ~950 + 300 ms
                assertTrue(arrivals.get(19) < 2_000, "the lag does not pile up: " + arrivals);
                assertTrue(arrivals.get(19) >= 950 + 290, "every byte is delayed: " + arrivals);
            }
        }
    }

    @Test
    @Timeout(10)
    void closingTheLinkDropsWhatItStillHolds() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DelayProxy proxy = new DelayProxy(target.getLocalPort(), Duration.ofMillis(500), true);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                 Socket server = target.accept()) {
                server.getOutputStream().write(42);
                server.getOutputStream().flush();
                Thread.sleep(100);
                proxy.close(); // the byte is still in the link
                assertEquals(-1, readOrEnd(client), "nothing arrives after the cut");
            }
        }
    }

    private static int readOrEnd(Socket s) {
        try {
            s.setSoTimeout(2_000);
            return s.getInputStream().read();
        } catch (java.io.IOException e) {
            return -1; // reset: as good as closed
        }
    }
}
