package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;

/** What a user's own simulation looks like when it reports to slogate: its own URL list, slogate's hooks. */
public final class HookedUserSimulation extends Simulation {
    public HookedUserSimulation() {
        String baseUrl = System.getProperty("hooked.baseUrl");
        setUp(scenario("user's own")
                .exec(LoadHooks.stopWhenRequested())
                .exec(LoadHooks.measured("own-home", http("own-home").get("/"), 200))
                .exec(LoadHooks.measured("own-fail", http("own-fail").get("/fail"), 200))
                .injectOpen(constantUsersPerSec(50).during(2)))
                .protocols(http.baseUrl(baseUrl).shareConnections().disableWarmUp());
    }
}
