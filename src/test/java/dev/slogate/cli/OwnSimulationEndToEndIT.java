package dev.slogate.cli;

import static dev.slogate.cli.EndToEndIT.cli;
import static dev.slogate.cli.EndToEndIT.ends;
import static dev.slogate.cli.EndToEndIT.events;
import static dev.slogate.cli.EndToEndIT.output;
import static dev.slogate.cli.EndToEndIT.report;
import static dev.slogate.cli.EndToEndIT.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example project (examples/gatling-simulation) as a team uses it: its own pom builds its jar, then slogate plans
 * and runs the unchanged simulation in a fleet of two injectors on the sandbox while a pod is killed, and judges client
 * SLOs from its requests.
 */
class OwnSimulationEndToEndIT {
    private static final Path EXAMPLE = Path.of("examples/gatling-simulation").toAbsolutePath();

    @TempDir
    static Path work;
    private static Path project;

    @BeforeAll
    static void buildTheExampleWithItsOwnPom() throws Exception {
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        project = work.resolve("shop");
        copy(EXAMPLE, project);
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "package"));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            mvn.add("-Dmaven.repo.local=" + repo);
        }
        Process build = new ProcessBuilder(mvn).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(project.resolve("build.log").toFile()).start();
        assertTrue(build.waitFor(180, TimeUnit.SECONDS), "the example's build finished");
        assertEquals(0, build.exitValue(), Files.readString(project.resolve("build.log")));
        assertTrue(Files.isRegularFile(project.resolve("target/shop-load-tests.jar")));
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        cli(project.resolve("run"), "sandbox", "stop").waitFor(60, TimeUnit.SECONDS);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(f);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(f, dest);
                }
            }
        }
    }

    @Test
    void planShowsTheSimulationsOwnInjectionProfile() throws Exception {
        Process p = cli(project, "plan", project.resolve("scenario.yaml").toString());
        assertTrue(ends(p, 60), "plan finished");
        String out = output(project);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("Own simulation com.example.shop.ShopJourneySimulation on Gatling 3.13.5"), out);
        assertTrue(out.contains("shopper: Open: NothingFor(1 second), RampRate(1.0,10.0,3 seconds)"), out);
    }

    @Test
    void theUnchangedSimulationRunsUnderAFaultAndItsRequestsAreJudged() throws Exception {
        Path dir = project.resolve("run");
        Files.createDirectories(dir);
        // a fleet of two injector processes, each running the whole simulation as written
        Process p = cli(dir, "run", "--run-id", "own", "--injectors", "2", project.resolve("scenario.yaml").toString());
        assertTrue(ends(p, 180), "run finished");
        String out = output(dir);
        JsonNode report = report(dir, "own");
        assertEquals(0, p.exitValue(), out);
        assertTrue(events(report).contains("FAULT_INJECTED") && events(report).contains("FAULT_REVERTED"), events(report).toString());
        JsonNode errors = result(report, "error-rate", "run");
        assertEquals("PASS", errors.get("verdict").asText(), errors.toString());
        assertEquals("PASS", result(report, "p99-latency", "run").get("verdict").asText());

        Set<String> requests = new TreeSet<>();
        long sent = 0;
        for (JsonNode second : report.get("client")) {
            sent += second.get("sent").asLong();
            second.get("series").forEach(s -> requests.add(s.get("request").asText()));
        }
        assertTrue(requests.containsAll(List.of("home", "product", "add to cart", "checkout")), requests.toString());
        // per injector ~95 shoppers x 4 requests in the 12 s before slogate stops the 20 s simulation (~700 if it ran on)
        assertTrue(sent > 2 * 200 && sent < 2 * 520, "sent " + sent);
    }

    @Test
    void aJarBuiltForAnotherGatlingIsRefusedBeforeAnythingStarts() throws Exception {
        Path dir = project.resolve("old");
        Files.createDirectories(dir);
        Path old = Files.copy(project.resolve("target/shop-load-tests.jar"), dir.resolve("gatling-core-java-3.11.5.jar"));
        Process p = cli(dir, "run", "--run-id", "old", "--simulation-jar", project.resolve("target/shop-load-tests.jar") + ","
                + old, "--simulation", "com.example.shop.ShopJourneySimulation", project.resolve("scenario.yaml").toString());
        assertTrue(ends(p, 60), "run refused");
        String out = output(dir);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("gatling-core-java-3.11.5.jar (Gatling 3.11.5)") && out.contains("embedded Gatling 3.13.5"), out);
    }
}
