package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.ExperimentLoader;
import dev.slogate.experiment.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rate one injector cannot hold is refused before a run starts, with the --injectors count that can. */
class InjectorRateTest {
    @TempDir
    Path dir;

    private Scenario scenario(String rps) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                apiVersion: slogate/v1
                kind: Scenario
                metadata: {name: fast}
                spec:
                  target: {url: http://127.0.0.1:9}
                  load:
                    stages: [{hold: {rps: 100, duration: 10s}}, {ramp: {from: 100, to: %s, duration: 10s}}]
                    requests: [{path: /}]
                """.formatted(rps));
        return new ExperimentLoader().loadScenario(f);
    }

    @Test
    void aRateAboveOneInjectorNeedsInjectors() throws Exception {
        Scenario s = scenario("120k/s");
        String text = ScenarioFiles.injectorsCannotSend(s, 0).orElseThrow();
        assertTrue(text.contains("peaks at 120000/s") && text.contains("--injectors 3"), text);
        assertFalse(ScenarioFiles.injectorsCannotSend(s, 3).isPresent());
        assertFalse(ScenarioFiles.injectorsCannotSend(scenario("50k/s"), 0).isPresent());
        assertEquals(120_000, s.load().peakRate());
    }
}
