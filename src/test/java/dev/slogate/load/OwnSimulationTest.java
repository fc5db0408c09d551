package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a team's own simulation from its own classes: what is accepted, what fails and how the error reads. */
class OwnSimulationTest {
    static final String JOURNEY = """
            package com.acme;

            import static io.gatling.javaapi.core.CoreDsl.*;
            import static io.gatling.javaapi.http.HttpDsl.*;

            import io.gatling.javaapi.core.Simulation;
            import java.time.Duration;

            public class Journey extends Simulation {
                public Journey() {
                    setUp(scenario("buyer").exec(http("home").get("/").check(status().is(200)))
                            .pause(Duration.ofMillis(50))
                            .exec(http("fail").get("/fail").check(status().is(200)))
                            .injectOpen(rampUsersPerSec(1).to(20).during(Duration.ofSeconds(1)),
                                    constantUsersPerSec(20).during(Duration.ofSeconds(2))))
                            .protocols(http.baseUrl(System.getProperty("own.baseUrl", "http://127.0.0.1:9")));
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void profileOfTheSimulationsSetUpWithoutRunningIt() throws IOException {
        Path classes = SimulationSources.compile(dir, "com.acme.Journey", JOURNEY);
        List<String> profile = OwnSimulation.open("com.acme.Journey", List.of(classes)).injectionProfile(Duration.ofSeconds(5));
        assertEquals(1, profile.size(), profile.toString());
        assertTrue(profile.get(0).startsWith("buyer: "), profile.toString());
        assertTrue(profile.get(0).contains("users)"), "the total is known for an open profile: " + profile);
    }

    @Test
    void missingClassNamesTheClasspath() throws IOException {
        Path classes = SimulationSources.compile(dir, "com.acme.Journey", JOURNEY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OwnSimulation.open("com.acme.Nope", List.of(classes)));
        assertTrue(e.getMessage().contains("com.acme.Nope is not in") && e.getMessage().contains(classes.toString()), e.getMessage());
    }

    @Test
    void aClassThatIsNoSimulationIsRefused() throws IOException {
        Path classes = SimulationSources.compile(dir, "com.acme.Plain", "package com.acme; public class Plain {}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OwnSimulation.open("com.acme.Plain", List.of(classes)));
        assertTrue(e.getMessage().contains("does not extend io.gatling.javaapi.core.Simulation"), e.getMessage());
    }

    @Test
    void anotherGatlingVersionInTheClasspathIsAClearError() throws IOException {
        Path classes = SimulationSources.compile(dir, "com.acme.Journey", JOURNEY);
        Path old = dir.resolve("gatling-core-java-3.11.5.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(old))) {
            j.putNextEntry(new JarEntry("io/gatling/javaapi/core/Placeholder.txt"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OwnSimulation.open("com.acme.Journey", List.of(classes, old)));
        assertTrue(e.getMessage().contains("Gatling 3.11.5") && e.getMessage().contains("embedded Gatling 3.13.5"), e.getMessage());
    }

    @Test
    void aFatJarBundlingAnotherGatlingIsAClearError() throws IOException {
        Path fat = dir.resolve("app-tests.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(fat))) {
            j.putNextEntry(new JarEntry("META-INF/maven/io.gatling/gatling-http-java/pom.properties"));
            OutputStream out = j;
            out.write("groupId=io.gatling\nartifactId=gatling-http-java\nversion=3.10.3\n".getBytes());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OwnSimulation.open("com.acme.Journey", List.of(fat)));
        assertTrue(e.getMessage().startsWith("app-tests.jar bundles Gatling 3.10.3 (gatling-http-java)"), e.getMessage());
    }

    @Test
    void gatlingOutcomesAsStatusClasses() {
        assertEquals(StatusClass.OK, TimelineStatsEngine.classify(true, true, null, 5, 1000));
        assertEquals(StatusClass.HTTP_ERROR, TimelineStatsEngine.classify(false, true, "status.find.is(200), but actually 500", 5, 1000));
        assertEquals(StatusClass.TIMEOUT, TimelineStatsEngine.classify(false, false, "Request timeout to 127.0.0.1:1 after 1000 ms", 1000, 1000));
        assertEquals(StatusClass.CONNECT_ERROR, TimelineStatsEngine.classify(false, false, "Connection refused", 2, 1000));
    }

    @Test
    void gatlingAndScalaComeFromSlogateTheRestFromTheUsersJar() {
        assertTrue(SimulationClassLoader.shared("io.gatling.javaapi.core.Simulation"));
        assertTrue(SimulationClassLoader.shared("scala.Option"));
        assertTrue(!SimulationClassLoader.shared("com.fasterxml.jackson.databind.ObjectMapper"));
        assertTrue(!SimulationClassLoader.shared("kotlin.Unit"));
    }
}
