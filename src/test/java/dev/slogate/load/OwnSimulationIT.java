package dev.slogate.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.Rate;
import dev.slogate.experiment.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's simulation, unchanged and outside slogate's classpath, run by {@link LoadRunner}: every request Gatling records
 * lands in the timeline under its own name and status class, in the second it started in.
 */
@Timeout(60)
class OwnSimulationIT {
    @TempDir
    Path work;

    private static long count(List<ClientSecond> seconds, String request, StatusClass status) {
        return seconds.stream().mapToLong(s -> {
            Histogram h = s.latency().get(new ClientSecond.SeriesKey(request, status));
            return h == null ? 0 : h.getTotalCount();
        }).sum();
    }

    @Test
    void everyRequestOfTheUnchangedSimulationIsMeasured() throws Exception {
        Path classes = SimulationSources.compile(work.resolve("project"), "com.acme.Journey", OwnSimulationTest.JOURNEY);
        try (TestTarget target = new TestTarget(8)) {
            System.setProperty("own.baseUrl", target.baseUrl());
            Load load = new Load(List.of(new Stage(Stage.Kind.HOLD, new Rate(20), new Rate(20), Duration.ofSeconds(10))),
                    List.of(), "com.acme.Journey", Duration.ofSeconds(3), List.of(classes));
            ClientTimeline timeline = ClientTimeline.forLoad(load);
            LoadResult result;
            try {
                result = new LoadRunner().run(new LoadPlan(target.baseUrl(), load, work), timeline);
            } finally {
                timeline.close();
            }
            List<ClientSecond> seconds = timeline.seconds();
            long sent = seconds.stream().mapToLong(ClientSecond::sent).sum();
            long home = count(seconds, "home", StatusClass.OK);
            // ramp 1 -> 20 users/s over 1 s, then 20/s for 2 s: about 50 users, two requests each
            assertTrue(home >= 40 && home <= 60, "home requests " + home);
            assertEquals(home, count(seconds, "fail", StatusClass.HTTP_ERROR), "each user's second step fails its check");
            assertEquals(2 * home, sent, "sent = every recorded request, nothing else");
            assertEquals(0, timeline.lateRecords(), "no request arrived after its second was final");
            assertEquals(0, result.gatlingExitCode(), result.message());
            assertTrue(!result.saturated(), "a simulation's own rate is never an injector shortfall: " + result.message());
        } finally {
            System.clearProperty("own.baseUrl");
        }
    }
}
