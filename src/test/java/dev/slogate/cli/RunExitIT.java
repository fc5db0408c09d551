package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.slogate.cli.InProcessCli.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exit code of a run that ran is the one it printed and recorded: when its report cannot be written (4), and when
 * it is interrupted by a signal (3, also in the real process's exit status). The target is a local HTTP server in
 * this JVM; no sandbox.
 */
class RunExitIT {
    @TempDir
    Path work;

    private HttpServer target;
    private final AtomicLong served = new AtomicLong();

    @BeforeEach
    void startTarget() throws IOException {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        target.setExecutor(Executors.newFixedThreadPool(4));
        target.createContext("/", ex -> {
            served.incrementAndGet();
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes());
            ex.close();
        });
        target.start();
    }

    @AfterEach
    void stopTarget() {
        target.stop(0);
    }

    private Path scenario(String duration) throws IOException {
        Files.writeString(work.resolve("slo.yaml"), """
                apiVersion: slogate/v1
                kind: Objectives
                metadata: {name: exits}
                spec:
                  objectives:
                    - {name: errors, errorRate: {below: 5%}}
                """);
        Path s = work.resolve("local.yaml");
        Files.writeString(s, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: local-target}
                spec:
                  target: {url: "http://127.0.0.1:%d"}
                  load:
                    stages: [{hold: {rps: 20, duration: %s}}]
                    requests: [{path: /}]
                  slos: [slo.yaml]
                """.formatted(target.getAddress().getPort(), duration));
        return s;
    }

    @Test
    void aReportsFolderThatIsAFileMakesAPassingRunExitFour() throws Exception {
        Path file = work.resolve("reports");
        Files.writeString(file, "a file where the reports folder should be");
        Result r = InProcessCli.run("run", "--state-dir", work.resolve("state").toString(), "--reports-dir", file.toString(),
                "--run-id", "full", scenario("3s").toString());
        assertTrue(served.get() > 0, "the run ran");
        assertEquals(4, r.code(), r.out());
        assertTrue(r.out().contains("error: could not write report.json: cannot use the reports folder " + file + ": "
                + file + " exists and is not a directory"), r.out());
        assertTrue(r.out().contains("Inconclusive: the report could not be written completely"), r.out());
        assertTrue(r.out().contains("the run's own verdict, exit 0: Every SLO met"), r.out());
        assertTrue(r.out().contains("(exit 4)"), r.out());
        assertFalse(r.out().contains("Report:"), "no Report: line for files that do not exist:\n" + r.out());
    }

    @Test
    void aFullDiskMakesTheRunInconclusiveAndLeavesNoCutFile() throws Exception {
        Path disk = Files.createDirectories(work.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a 16 KB tmpfs");
        try {
            Result r = InProcessCli.run("run", "--state-dir", work.resolve("state").toString(), "--reports-dir",
                    disk.toString(), "--run-id", "full", scenario("3s").toString());
            assertEquals(4, r.code(), r.out());
            assertTrue(r.out().contains("error: could not write " + disk.resolve("full") + "/")
                    && r.out().contains("No space left on device"), r.out());
            assertTrue(r.out().contains("(exit 4)"), r.out());
            Path dir = disk.resolve("full");
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    assertTrue(List.of("report.json", "junit.xml", "summary.md", "report.html").contains(name), "left over: " + f);
                    assertTrue(r.out().contains("Report: " + f) || r.out().contains("Report: " + dir.resolve("report.html")), r.out());
                    String text = Files.readString(f);
                    assertTrue(text.contains("exit 4") || text.contains("\"exitCode\" : 4") || text.contains("value=\"4\""),
                            name + " says the code the process returns:\n" + text);
                    if (name.equals("report.html")) {
                        assertTrue(text.endsWith("</html>\n"), "report.html is complete");
                    }
                }
            }
            for (String f : List.of("report.json", "junit.xml", "summary.md", "report.html")) {
                if (!Files.exists(dir.resolve(f))) {
                    assertFalse(r.out().contains("Report: " + dir.resolve(f)), r.out());
                }
            }
        } finally {
            new ProcessBuilder("umount", disk.toString()).start().waitFor();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalMidRunExitsWithTheCodeItPrintsAndRecords(String signal) throws Exception {
        Path dir = work.resolve(signal);
        Process run = EndToEndIT.cli(dir, "run", "--run-id", "sig", scenario("60s").toString());
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (served.get() < 40 && run.isAlive() && System.nanoTime() < deadline) { // two seconds of load at 20 rps
            Thread.sleep(100);
        }
        assertTrue(run.isAlive() && served.get() >= 40, "the load is running:\n" + EndToEndIT.output(dir));
        new ProcessBuilder("kill", "-" + signal, Long.toString(run.pid())).start().waitFor();
        assertTrue(EndToEndIT.ends(run, 90), "the run ends after SIG" + signal);

        String out = EndToEndIT.output(dir);
        JsonNode report = EndToEndIT.report(dir, "sig");
        Matcher printed = Pattern.compile("\\(exit (\\d+)\\)").matcher(out);
        assertTrue(printed.find(), out);
        int code = Integer.parseInt(printed.group(1));
        assertEquals(3, code, "interrupted is aborted (3):\n" + out);
        assertEquals(code, report.get("exitCode").asInt(), "report.json");
        assertEquals(code, run.exitValue(), "the process's exit status:\n" + out);
        assertTrue(report.get("outcome").asText().contains("interrupted"), report.get("outcome").asText());
        assertTrue(out.contains("slogate: interrupted; every fault was reverted (exit 3)."), out);
    }
}
