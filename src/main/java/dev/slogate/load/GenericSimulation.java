package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.RequestSpec;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulation slogate runs when the scenario names none: the open model on a pool of virtual users
 * ({@link ArrivalPool}). Each arrival is carried by an idle pool user as if it were a fresh user: it checks the stop
 * flag, draws one request from the weighted mix (or walks one journey), sends it, records it, and goes back to the
 * pool. No think time between arrivals; all
 * users share one connection pool ({@code shareConnections}), as independent users of a real service would share a
 * load balancer's keep-alive connections rather than each open a fresh TCP connection. An unrecorded warm-up
 * ({@link LoadPlan#warmUp()}) may come first.
 */
public final class GenericSimulation extends Simulation {
    private static final String PICK = "slogate.pick";
    /** Time for the pool's users to reach their event loops before the first arrival is due. */
    private static final Duration GATHER = Duration.ofMillis(50);
    private final LoadHooks.ActiveRun run = LoadHooks.activeOrFail();
    private final ArrivalPool pool;

    public GenericSimulation() {
        Load load = run.plan.load();
        var protocol = http.baseUrl(run.plan.baseUrl())
                .shareConnections()
                .disableWarmUp()
                .disableCaching()
                .disableFollowRedirect()
                .disableAutoReferer()
                .disableAutoOrigin();
        // journeys: users walking steps (JourneyChains); else one request of the weighted mix per arrival
        ChainBuilder mix = load.hasJourneys() ? JourneyChains.of(load, run.timeline.journeys()) : requestMix(load.requests());
        Duration warmUp = run.plan.warmUp();
        Duration timeout = load.requestTimeout() == null ? Duration.ofSeconds(60) : load.requestTimeout();
        Duration longest = JourneyChains.longest(load);
        pool = new ArrivalPool(ArrivalSchedule.of(load.stages(), warmUp), LoadHooks::stopRequested);
        run.pool = pool;
        int users = ArrivalPool.size(load.peakRate(), timeout.plus(longest).toMillis() / 1000.0 + 1);
        // each pool user loops: wait for a due arrival, carry it (one request of the mix, or one journey), come back
        ChainBuilder user = pool.chain(exec(LoadHooks.stopWhenRequested()).exec(mix));
        setUp(scenario("slogate").exec(user).injectOpen(atOnceUsers(users)))
                .protocols(protocol)
                // a safety net: the load never outlives its stages plus the last request's timeout
                .maxDuration(warmUp.plus(load.duration()).plus(timeout).plusSeconds(5).plus(longest));
    }

    @Override
    public void before() {
        run.passStartGate();
        // the pool's users gather on their event loops first; arrival 0 is due a moment later
        long originNanos = System.nanoTime() + GATHER.toNanos();
        pool.start(originNanos);
        // the run's clock starts when the stages do, after the warm-up
        run.markStart(Instant.now().plus(GATHER).plus(run.plan.warmUp()));
    }

    private static ChainBuilder requestMix(List<RequestSpec> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("the load has no requests; add at least one under spec.load.requests");
        }
        if (requests.size() == 1) {
            return measured(requests.get(0));
        }
        long[] cumulative = new long[requests.size()];
        long total = 0;
        List<Choice.WithKey> cases = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            total += Math.max(0, requests.get(i).weight());
            cumulative[i] = total;
            cases.add(onCase(i).then(measured(requests.get(i))));
        }
        if (total <= 0) {
            throw new IllegalArgumentException("every request has weight 0; give at least one a positive weight");
        }
        long sum = total;
        return exec(session -> session.set(PICK, pick(cumulative, ThreadLocalRandom.current().nextLong(sum))))
                .doSwitch(session -> session.getInt(PICK)).on(cases);
    }

    static int pick(long[] cumulative, long draw) {
        for (int i = 0; i < cumulative.length; i++) {
            if (draw < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    private static ChainBuilder measured(RequestSpec spec) {
        String path = spec.path();
        HttpRequestActionBuilder request = http(spec.name()).httpRequest(spec.method(), session -> path);
        // values as functions: a String would be read as Gatling EL, and a "#{...}" in a header must go out as written
        for (var h : spec.headers().entrySet()) {
            String value = h.getValue();
            request = request.header(h.getKey(), session -> value);
        }
        if (spec.body() != null) {
            request = request.body(ByteArrayBody(spec.body().getBytes(StandardCharsets.UTF_8)));
        }
        return LoadHooks.measured(spec.name(), request, spec.expectStatus());
    }
}
