package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * bench/run's open-model baseline: plain Gatling, nothing of slogate. One virtual user per arrival sending one request,
 * {@code -Dbench.rps} arrivals per second for {@code -Dbench.seconds}, after a {@code -Dbench.warmup} s ramp from 10
 * rps (the shape of slogate's own unrecorded warm-up, so both JVMs are equally warm when measured); the same protocol
 * settings as slogate's GenericSimulation; Gatling's own stats engine records.
 */
public final class PlainOpenSimulation extends Simulation {
    public PlainOpenSimulation() {
        double rps = Double.parseDouble(System.getProperty("bench.rps", "3000"));
        Duration warmUp = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
        Duration d = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
        var protocol = http.baseUrl(System.getProperty("bench.url")).shareConnections().disableWarmUp().disableCaching()
                .disableFollowRedirect().disableAutoReferer().disableAutoOrigin();
        var arrivals = scenario("plain-open").exec(exec(http("home").get("/").check(status().is(200))));
        setUp(arrivals.injectOpen(rampUsersPerSec(Math.min(10, rps)).to(rps).during(warmUp), constantUsersPerSec(rps).during(d)))
                .protocols(protocol).maxDuration(warmUp.plus(d).plusSeconds(10));
    }
}
