package dev.slogate.cli;

import dev.slogate.dashboard.Dashboard;
import dev.slogate.slo.SloStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/**
 * {@code --dashboard[=PORT]} and {@code --dashboard-bind ADDR} as {@code run} and {@code demo} read them: where the
 * live dashboard listens. {@code portChosen}: the user named the port, so a taken port is an error; the default port
 * falls back to any free one.
 */
record LiveDashboard(int port, boolean portChosen, String bind) {
    static final String LOOPBACK = "127.0.0.1";
    /** How long {@code demo} on a terminal keeps the page served after the run, unless Enter is pressed first. */
    static final long LINGER_MINUTES = 10;

    /** What {@code --dashboard} without a value gives the option: the default port, or any free one if it is taken. */
    static final String DEFAULT = "-1";

    /**
     * {@code --dashboard} takes its port only when attached ({@code --dashboard=8080}): {@code --dashboard run.yaml}
     * keeps the scenario file a scenario file.
     */
    static final class AttachedPortOnly implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
            if (" ".equals(info.get("separator"))) {
                args.push(DEFAULT);
            }
            return false;
        }
    }

    /** The dashboard as the options ask for it ({@code port} null: no {@code --dashboard}), or null when it is off. */
    static LiveDashboard of(Integer port, String bind) {
        if (port == null && bind == null) {
            return null;
        }
        String b = bind == null ? LOOPBACK : bind;
        if (port == null || port == Integer.parseInt(DEFAULT)) {
            return new LiveDashboard(Dashboard.DEFAULT_PORT, false, b);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--dashboard takes a port from 0 (any free port) to 65535, not " + port);
        }
        return new LiveDashboard(port, true, b);
    }

    /**
     * Starts serving and prints the URL (and a warning when it listens beyond this machine).
     *
     * @throws IllegalArgumentException with what to do, if the address or port cannot be used
     */
    Dashboard open(Path reportsDir, String runId, Supplier<List<SloStatus>> slos, PrintStream out) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--dashboard-bind " + bind + " is not an IP address or a host name this machine resolves; use an IP"
                    + " address such as 127.0.0.1 (default) or 0.0.0.0 (every interface)");
        }
        Dashboard d;
        try {
            d = Dashboard.start(address, port, reportsDir, runId, slos);
        } catch (IOException e) {
            if (portChosen) {
                throw new IllegalArgumentException("the dashboard cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                        + "); pick another port, or --dashboard=0 for any free one");
            }
            try {
                d = Dashboard.start(address, 0, reportsDir, runId, slos);
            } catch (IOException again) {
                throw new IllegalArgumentException("the dashboard cannot listen on " + bind + " (" + again.getMessage()
                        + "); check --dashboard-bind");
            }
        }
        if (!address.isLoopbackAddress()) {
            out.println("warning: the dashboard listens on " + bind + ":" + d.url().getPort() + ", beyond this machine:"
                    + " whoever reaches it sees this run's target, events and SLOs while it runs");
        }
        out.println("Dashboard: " + d.url());
        return d;
    }

    /**
     * After a demo on a terminal: the page (and report.html, dashboard.html) stays served until Enter is pressed or
     * {@link #LINGER_MINUTES} pass. Without a terminal (CI) it returns at once: nothing delays the exit.
     */
    static void linger(Dashboard d, boolean tty, PrintStream out) {
        if (!tty) {
            return;
        }
        out.println("Dashboard: still serving " + d.url() + " (with report.html); press Enter to exit");
        out.flush();
        CountDownLatch enter = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                System.in.read();
            } catch (IOException ignored) {
                // no input: end as if Enter was pressed
            }
            enter.countDown();
        }, "slogate-dashboard-enter");
        reader.setDaemon(true);
        reader.start();
        try {
            enter.await(LINGER_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
