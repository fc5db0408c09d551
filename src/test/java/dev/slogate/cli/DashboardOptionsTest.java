package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code run} and {@code demo} read {@code --dashboard[=PORT]}, {@code --dashboard-bind} and {@code --no-dashboard}. */
class DashboardOptionsTest {
    private static RunCommand run(String... args) {
        RunCommand c = new RunCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void dashboardWithoutAValueTakesTheDefaultPortAndLeavesTheScenarioAlone() {
        RunCommand c = run("--dashboard", "scenarios/x.yaml");
        assertEquals(Path.of("scenarios/x.yaml"), c.scenarioFile);
        LiveDashboard d = LiveDashboard.of(c.dashboardPort, c.dashboardBind);
        assertEquals(5665, d.port());
        assertFalse(d.portChosen(), "a taken default port falls back to any free one");
        assertEquals("127.0.0.1", d.bind());
    }

    @Test
    void aPortCanBeNamedAndZeroMeansAnyFreePort() {
        LiveDashboard d = LiveDashboard.of(run("--dashboard=0", "x.yaml").dashboardPort, null);
        assertEquals(0, d.port());
        assertTrue(d.portChosen());
        assertEquals(8080, LiveDashboard.of(run("--dashboard=8080", "x.yaml").dashboardPort, null).port());
        assertEquals(5665, LiveDashboard.of(run("x.yaml", "--dashboard").dashboardPort, null).port(), "last on the line");
    }

    @Test
    void noDashboardUnlessAskedAndBindImpliesIt() {
        assertNull(LiveDashboard.of(run("x.yaml").dashboardPort, run("x.yaml").dashboardBind));
        RunCommand c = run("--dashboard-bind", "0.0.0.0", "x.yaml");
        LiveDashboard d = LiveDashboard.of(c.dashboardPort, c.dashboardBind);
        assertEquals("0.0.0.0", d.bind());
        assertEquals(5665, d.port());
    }

    @Test
    void aPortOutOfRangeSaysWhatItTakes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LiveDashboard.of(70000, null));
        assertTrue(e.getMessage().contains("0 (any free port) to 65535"), e.getMessage());
    }

    @Test
    void theDemoServesTheDashboardUnlessToldNot() {
        DemoCommand on = new DemoCommand();
        new CommandLine(on).parseArgs();
        assertFalse(on.noDashboard);
        DemoCommand off = new DemoCommand();
        new CommandLine(off).parseArgs("--no-dashboard");
        assertTrue(off.noDashboard);
    }
}
