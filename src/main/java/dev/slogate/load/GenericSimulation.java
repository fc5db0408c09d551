package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.slogate.experiment.Load;
import dev.slogate.experiment.RequestSpec;
import dev.slogate.experiment.Stage;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulation slogate runs when the scenario names none: the open model, one virtual user per request. Each user
 * checks the stop flag, draws one request from the weighted mix, sends it, records it, and ends. No think time; all
 * users share one connection pool ({@code shareConnections}), as independent users of a real service would share a
 * load balancer's keep-alive connections rather than each open a fresh TCP connection. An unrecorded warm-up
 * ({@link LoadPlan#warmUp()}) may come first.
 */
public final class GenericSimulation extends Simulation {
    private static final String PICK = "slogate.pick";
    private final LoadHooks.ActiveRun run = LoadHooks.activeOrFail();

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
        double warmUpTo = LoadPlan.firstRate(load);
        List<OpenInjectionStep> steps = new ArrayList<>();
        List<PopulationBuilder> populations = new ArrayList<>();
        if (!warmUp.isZero() && warmUpTo > 0) {
            // same requests on the same shared connection pool, flagged so that nothing is recorded
            populations.add(scenario("slogate-warm-up").exec(LoadHooks.stopWhenRequested())
                    .exec(session -> session.set(LoadHooks.WARM_UP, true)).exec(mix)
                    .injectOpen(rampUsersPerSec(Math.min(10, warmUpTo)).to(warmUpTo).during(warmUp)));
            steps.add(nothingFor(warmUp));
        }
        steps.addAll(injection(load.stages()));
        populations.add(scenario("slogate").exec(LoadHooks.stopWhenRequested()).exec(mix).injectOpen(steps));
        Duration timeout = load.requestTimeout() == null ? Duration.ofSeconds(60) : load.requestTimeout();
        setUp(populations)
                .protocols(protocol)
                // a safety net: the load never outlives its stages plus the last request's timeout
                .maxDuration(warmUp.plus(load.duration()).plus(timeout).plusSeconds(5).plus(JourneyChains.longest(load)));
    }

    @Override
    public void before() {
        run.passStartGate();
        // the run's clock starts when the stages do, after the warm-up
        run.markStart(Instant.now().plus(run.plan.warmUp()));
    }

    static List<OpenInjectionStep> injection(List<Stage> stages) {
        List<OpenInjectionStep> steps = new ArrayList<>();
        for (Stage s : stages) {
            double from = s.kind() == Stage.Kind.RAMP ? s.from().perSecond() : s.to().perSecond();
            double to = s.to().perSecond();
            if (from == 0 && to == 0) {
                steps.add(nothingFor(s.duration()));
            } else if (from == to) {
                steps.add(constantUsersPerSec(to).during(s.duration()));
            } else {
                steps.add(rampUsersPerSec(from).to(to).during(s.duration()));
            }
        }
        return steps;
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
