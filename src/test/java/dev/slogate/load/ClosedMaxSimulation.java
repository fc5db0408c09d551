package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.RequestSpec;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * bench/run's slogate at its maximum rate: {@code -Dbench.users} looping users without think time or throttle, each
 * request measured into slogate's timeline through {@link LoadHooks}. Same users and protocol as
 * {@link PlainClosedSimulation}, so the difference in CPU per request is slogate's measurement.
 */
public final class ClosedMaxSimulation extends Simulation {
    public ClosedMaxSimulation() {
        LoadHooks.ActiveRun run = LoadHooks.activeOrFail();
        Load load = run.plan.load();
        RequestSpec spec = load.requests().get(0);
        Duration d = load.duration();
        var protocol = http.baseUrl(run.plan.baseUrl()).shareConnections().disableWarmUp().disableCaching()
                .disableFollowRedirect().disableAutoReferer().disableAutoOrigin();
        var users = scenario("closed-max").exec(LoadHooks.stopWhenRequested()).exec(during(d).on(
                LoadHooks.measured(spec.name(), http(spec.name()).httpRequest(spec.method(), spec.path()), spec.expectStatus())));
        setUp(users.injectClosed(constantConcurrentUsers(Integer.getInteger("bench.users", 50)).during(d)))
                .protocols(protocol).maxDuration(d.plusSeconds(5));
    }

    @Override
    public void before() {
        LoadHooks.activeOrFail().markStart(java.time.Instant.now());
    }
}
