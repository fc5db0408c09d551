package dev.slogate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.slogate.experiment.Feeder;
import dev.slogate.experiment.Journey;
import dev.slogate.experiment.Load;
import dev.slogate.experiment.Template;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code load.journeys} compiled once into one Gatling chain: each user takes the next journey of a smooth weighted
 * round robin (so the journeys' shares are exact, and a queue feeder's need is computable), a row of every feeder its
 * journey reads, then walks the steps with their think times.
 *
 * <p>Every request is measured from its intended send time, as the generic load's are: the first step from the user's
 * scheduled arrival (Gatling starts the user then), a later step from the moment it became due, that is the previous
 * step's answer plus the think time drawn after it. A step sent late because the injector was busy (a pause woke late,
 * a thread was starved) thus shows the delay in its latency instead of hiding it (coordinated omission), and a slow
 * answer never makes the next step "due" earlier than a real user would send it.
 *
 * <p>A step that does not get the value it extracts ends the user: status class {@code extract-error} under the step's
 * name when the answer had the expected status but not the value; its own status class otherwise. Later steps could
 * not be sent as the user would have. A step without extraction that fails does not end the user.
 *
 * <p>Paths, header values and bodies are rendered by functions from parsed {@link Template}s, never handed to Gatling
 * as Expression Language: a {@code #{...}} the user wrote goes out literally. Extraction expressions are passed as
 * functions for the same reason.
 */
final class JourneyChains {
    private static final String VAR = "slogate.v.";
    private static final String DUE = "slogate.due";
    private static final String START = "slogate.jstart";
    private static final String THINK = "slogate.jthink";
    private static final String PAUSE = "slogate.pause";
    private static final String SENT = "slogate.sent";
    private static final String ENDED = "slogate.ended";
    private static final String PICK = "slogate.journey";

    private final Load load;
    private final JourneyLog log;
    private final List<FeederRows> feeders;
    private final Duration timeout;
    private final AtomicLong arrivals = new AtomicLong();
    private final AtomicLong warmUpArrivals = new AtomicLong();

    private JourneyChains(Load load, JourneyLog log, long seed) {
        this.load = load;
        this.log = log;
        this.feeders = load.feeders().stream().map(f -> new FeederRows(f, seed)).toList();
        this.timeout = load.requestTimeout() == null ? Duration.ofSeconds(60) : load.requestTimeout();
    }

    /** The chain every user of {@code load} runs; {@code log} keeps the whole users' figures. */
    static ChainBuilder of(Load load, JourneyLog log) {
        return new JourneyChains(load, log, System.nanoTime()).chain();
    }

    /** The longest a user may walk its journey: every step at the timeout, every pause at its longest. */
    static Duration longest(Load load) {
        Duration timeout = load.requestTimeout() == null ? Duration.ofSeconds(60) : load.requestTimeout();
        return load.journeys().stream().map(j -> timeout.multipliedBy(j.steps().size()).plus(j.steps().stream()
                .map(s -> s.think() == null ? Duration.ZERO : s.think().max()).reduce(Duration.ZERO, Duration::plus)))
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * The order users take journeys in: a smooth weighted round robin over one cycle of the weights' sum (weights 3 and
     * 1 give A A B A, not A A A B), so any stretch of arrivals holds the journeys in their shares.
     */
    static int[] order(List<Integer> weights) {
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        int[] out = new int[total];
        long[] current = new long[weights.size()];
        for (int k = 0; k < total; k++) {
            int best = 0;
            for (int i = 0; i < current.length; i++) {
                current[i] += weights.get(i);
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            out[k] = best;
        }
        return out;
    }

    private ChainBuilder chain() {
        List<Journey> journeys = load.journeys();
        journeys.forEach(j -> log.declare(j.name()));
        if (journeys.size() == 1) {
            return journey(journeys.get(0));
        }
        int[] order = order(journeys.stream().map(Journey::weight).toList());
        List<Choice.WithKey> cases = new ArrayList<>();
        for (int i = 0; i < journeys.size(); i++) {
            cases.add(onCase(i).then(journey(journeys.get(i))));
        }
        return exec(session -> {
            AtomicLong counter = session.contains(LoadHooks.WARM_UP) ? warmUpArrivals : arrivals;
            return session.set(PICK, order[(int) Math.floorMod(counter.getAndIncrement(), (long) order.length)]);
        }).doSwitch(session -> session.getInt(PICK)).on(cases);
    }

    private ChainBuilder journey(Journey j) {
        List<FeederRows> reads = feeders.stream().filter(f -> j.variables().stream().anyMatch(f.feeder()::provides)).toList();
        // a journey that ends early (no feeder row, a failed extraction) skips its remaining steps: the pool user that
        // carried it goes back to the pool rather than leaving it
        ChainBuilder chain = exec(session -> arrive(session, j, reads));
        for (int i = 0; i < j.steps().size(); i++) {
            chain = chain.doIf(session -> !session.contains(ENDED)).then(step(j, j.steps().get(i), i == j.steps().size() - 1));
        }
        return chain.exec(session -> {
            if (!session.contains(ENDED) && !session.contains(LoadHooks.WARM_UP)) {
                long total = session.getLong(SENT) - session.getLong(START);
                log.completed(j.name(), total / 1000, (total - session.getLong(THINK)) / 1000);
            }
            return session;
        });
    }

    private Session arrive(Session session, Journey j, List<FeederRows> reads) {
        boolean warmUp = session.contains(LoadHooks.WARM_UP);
        if (!warmUp) {
            log.arrived(j.name());
        }
        Session s = session;
        for (FeederRows f : reads) {
            Map<String, String> row = warmUp ? f.peek() : f.next();
            if (row == null) {
                log.noRow(j.name(), f.feeder().name(), f.feeder().rows().size());
                return s.set(ENDED, true);
            }
            for (Map.Entry<String, String> e : row.entrySet()) {
                s = s.set(VAR + e.getKey(), e.getValue()).set(VAR + f.feeder().name() + "." + e.getKey(), e.getValue());
            }
        }
        long due = session.contains(ArrivalPool.INTENDED) ? session.getLong(ArrivalPool.INTENDED) : System.nanoTime();
        return s.set(DUE, due).set(START, due).set(THINK, 0L);
    }

    private ChainBuilder step(Journey j, Journey.Step step, boolean last) {
        Template path = Template.parse(step.path());
        HttpRequestActionBuilder request = http(step.name()).httpRequest(step.method(), session -> path.render(name -> value(session, name)))
                .requestTimeout(timeout);
        for (Map.Entry<String, String> h : step.headers().entrySet()) {
            Template value = Template.parse(h.getValue());
            request = request.header(h.getKey(), session -> value.render(name -> value(session, name)));
        }
        if (step.body() != null) {
            Template body = Template.parse(step.body());
            request = request.body(StringBody(session -> body.render(name -> value(session, name))));
        }
        List<CheckBuilder> checks = new ArrayList<>();
        // the status is saved first: Gatling stops at the first failing check, and an extraction may fail
        checks.add(status().saveAs(LoadHooks.STATUS));
        for (Journey.Extract e : step.extract()) {
            String expr = e.expression();
            CheckBuilder.Final c = switch (e.source()) {
                case JSON_PATH -> jsonPath(session -> expr).optional();
                case HEADER -> header(session -> expr).optional();
                case REGEX -> regex(session -> expr).optional();
            };
            checks.add(c.saveAs(VAR + e.variable()));
        }
        request = request.check(checks);
        long timeoutNanos = timeout.toNanos();
        ChainBuilder chain = exec(LoadHooks.stopWhenRequested()).exec(session -> {
            long due = session.getLong(DUE);
            if (!session.contains(LoadHooks.WARM_UP)) {
                LoadHooks.recordSent(due);
            }
            Session s = session;
            for (Journey.Extract e : step.extract()) {
                s = s.remove(VAR + e.variable()); // an earlier step's value must not pass for this one's
            }
            return s;
        }).exec(request).exec(session -> {
            long due = session.getLong(DUE);
            long now = System.nanoTime();
            StatusClass status;
            if (session.contains(LoadHooks.STATUS)) {
                status = session.getInt(LoadHooks.STATUS) != step.expectStatus() ? StatusClass.HTTP_ERROR
                        : step.extract().stream().allMatch(e -> session.contains(VAR + e.variable())) ? StatusClass.OK
                        : StatusClass.EXTRACT_ERROR;
            } else {
                status = now - due >= timeoutNanos ? StatusClass.TIMEOUT : StatusClass.CONNECT_ERROR;
            }
            boolean warmUp = session.contains(LoadHooks.WARM_UP);
            if (!warmUp) {
                LoadHooks.record(step.name(), status, due, (now - due) / 1000);
            }
            Session s = session.remove(LoadHooks.STATUS).set(SENT, now);
            if (status != StatusClass.OK && !step.extract().isEmpty()) {
                if (!warmUp) {
                    log.failed(j.name());
                }
                return s.set(ENDED, true);
            }
            long think = last || step.think() == null ? 0 : step.think().sample(ThreadLocalRandom.current()).toNanos();
            return s.set(DUE, now + think).set(THINK, session.getLong(THINK) + think).set(PAUSE, think);
        });
        if (!last && step.think() != null) {
            chain = chain.doIf(session -> !session.contains(ENDED)).then(pause(session -> Duration.ofNanos(session.getLong(PAUSE))));
        }
        return chain;
    }

    private static Object value(Session session, String name) {
        return session.contains(VAR + name) ? session.get(VAR + name) : null;
    }
}
