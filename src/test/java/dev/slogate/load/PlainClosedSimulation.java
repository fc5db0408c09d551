package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * bench/run's baseline: plain Gatling, nothing of slogate. {@code -Dbench.url}, {@code -Dbench.users} looping users,
 * {@code -Dbench.seconds}; the same protocol settings as slogate's simulations; Gatling's own stats engine records.
 */
public final class PlainClosedSimulation extends Simulation {
    public PlainClosedSimulation() {
        Duration d = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
        var protocol = http.baseUrl(System.getProperty("bench.url")).shareConnections().disableWarmUp().disableCaching()
                .disableFollowRedirect().disableAutoReferer().disableAutoOrigin();
        var users = scenario("plain").exec(during(d).on(exec(http("home").get("/").check(status().is(200)))));
        setUp(users.injectClosed(constantConcurrentUsers(Integer.getInteger("bench.users", 50)).during(d)))
                .protocols(protocol).maxDuration(d.plusSeconds(5));
    }

    private static io.gatling.javaapi.core.ChainBuilder exec(io.gatling.javaapi.http.HttpRequestActionBuilder r) {
        return io.gatling.javaapi.core.CoreDsl.exec(r);
    }
}
