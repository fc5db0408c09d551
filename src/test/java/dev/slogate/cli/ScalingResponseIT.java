package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.cli;
import static dev.slogate.cli.EndToEndIT.output;
import static dev.slogate.cli.EndToEndIT.report;
import static dev.slogate.cli.EndToEndIT.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI on the sandbox with its autoscaler: a 5x load step triggers scale-out, the scaling response is
 * reported with both times (capacity and recovered), and an objective below what the sandbox can do fails naming
 * the measured time. One run of about 35 s of load.
 */
class ScalingResponseIT {
    private static final Path E2E = Path.of("src/test/resources/e2e").toAbsolutePath();
    private static final Pattern CAPACITY = Pattern.compile("capacity 1 -> (\\d+) replicas ready at \\+([0-9.]+) s");

    @TempDir
    Path work;

    @Test
    void fiveTimesTheLoadScalesOutAndTheScalingResponseIsReportedWithBothTimes() throws Exception {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        Process p = cli(work, "run", "--run-id", "step", E2E.resolve("scaling-step.yaml").toString());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run finished");
        JsonNode report = report(work, "step");
        assertEquals(1, p.exitValue(), "the too-tight objective fails: " + output(work));

        List<String> scaled = new ArrayList<>();
        report.get("events").forEach(e -> {
            if (e.get("subject").asText().equals("autoscaler")) {
                scaled.add(e.get("detail").asText());
            }
        });
        assertTrue(scaled.stream().anyMatch(d -> d.matches("scale \\d -> 4 pods: .*")), "scaled out to 4 pods: " + scaled);

        JsonNode ok = result(report, "scaling-response", "step:2");
        String message = ok.get("message").asText();
        assertEquals("PASS", ok.get("verdict").asText(), message);
        double recovered = ok.get("measured").asDouble();
        Matcher m = CAPACITY.matcher(message);
        assertTrue(m.find(), "the capacity time is reported: " + message);
        assertEquals(4, Integer.parseInt(m.group(1)), message);
        double capacity = Double.parseDouble(m.group(2));
        // the new pods start 2 s after the autoscaler sees the load (rate over 5 s, read every 1 s)
        assertTrue(capacity >= 2 && capacity < 20, "capacity time " + capacity + " s");
        assertTrue(recovered > 0 && recovered < 25, "the step hurt, and the service came back within the step: " + recovered + " s");
        assertTrue(message.contains("back within it at +"), message);

        JsonNode tight = result(report, "scaling-too-tight", "step:2");
        String why = tight.get("message").asText();
        assertEquals("FAIL", tight.get("verdict").asText(), why);
        Matcher named = Pattern.compile("^scaling response ([0-9.]+) s > 1 s after step:2").matcher(why);
        assertTrue(named.find(), why);
        assertEquals(recovered, Double.parseDouble(named.group(1)), 0.051, "the failure names the measured time: " + why);
    }
}
