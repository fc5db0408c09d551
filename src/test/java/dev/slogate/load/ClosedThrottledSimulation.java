package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.RequestSpec;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * The closed model for the open-vs-closed benchmark: a fixed pool of looping users capped by Gatling's throttle at the
 * first stage's rate. Same protocol settings and same measured request as {@link GenericSimulation}. For the
 * benchmark only: each user's last throttled request is cut when the run ends (outside the measured seconds).
 */
public final class ClosedThrottledSimulation extends Simulation {
    static final int USERS = Integer.getInteger("slogate.bench.users", 100);

    public ClosedThrottledSimulation() {
        LoadHooks.ActiveRun run = LoadHooks.activeOrFail();
        Load load = run.plan.load();
        RequestSpec spec = load.requests().get(0);
        int rps = (int) load.stages().get(0).to().perSecond();
        Duration d = load.duration();
        var protocol = http.baseUrl(run.plan.baseUrl()).shareConnections().disableWarmUp().disableCaching()
                .disableFollowRedirect().disableAutoReferer().disableAutoOrigin();
        var users = scenario("closed").exec(LoadHooks.stopWhenRequested()).exec(during(d).on(
                LoadHooks.measured(spec.name(), http(spec.name()).httpRequest(spec.method(), spec.path()), spec.expectStatus())));
        setUp(users.injectClosed(constantConcurrentUsers(USERS).during(d)))
                .throttle(reachRps(rps).in(Duration.ofSeconds(1)), holdFor(d))
                .protocols(protocol)
                .maxDuration(d.plusSeconds(5));
    }
}
