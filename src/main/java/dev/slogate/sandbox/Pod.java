package dev.slogate.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A sandbox pod's fixed identity (name, region, node, port) and its current process; guarded by the sandbox's lock. */
final class Pod {
    final String name;
    final String region;
    final String node;
    final int port;
    Process process;
    DelayProxy proxy;
    long diedAtNanos;
    long readyAtNanos;      // starting: when HAProxy enables it
    long drainedAtNanos;    // idle with a live process: when it is stopped
    boolean enabled = true; // false while HAProxy keeps it in maintenance
    ServerSocket hold;      // an idle slot keeps its port, so nothing else takes it before the pod starts
    String state = PodState.DOWN;

    Pod(String name, String region, String node, int port) {
        this.name = name;
        this.region = region;
        this.node = node;
        this.port = port;
    }

    void holdPort() {
        if (hold == null) {
            try {
                hold = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                hold = null; // taken meanwhile; the pod will report it when it starts
            }
        }
    }

    void releasePort() {
        if (hold != null) {
            try {
                hold.close();
            } catch (IOException e) {
                // closed anyway
            }
            hold = null;
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    Map<String, String> labels() {
        return snapshot("").labels();
    }

    PodState snapshot(String lb) {
        long pid = process != null && process.isAlive() ? process.pid() : 0;
        // a SIGSTOPped process is alive to the supervisor, but to a user it is paused, not running
        String shown = pid > 0 && state.equals(PodState.RUNNING) && SandboxProcesses.state(pid) == 'T' ? PodState.PAUSED : state;
        return new PodState(name, region, node, port, pid, shown, lb, proxy == null ? 0 : proxy.delay().toMillis());
    }

    /** Whether the pod answers its health check now (a readiness probe). */
    boolean answersHealth() {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build().send(
                    HttpRequest.newBuilder(URI.create("http://" + address() + "/health")).timeout(Duration.ofMillis(300)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
