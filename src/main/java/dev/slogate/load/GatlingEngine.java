package dev.slogate.load;

import io.gatling.app.Runner;
import io.gatling.app.Selection;
import io.gatling.app.SimulationClass$;
import io.gatling.commons.util.DefaultClock;
import io.gatling.core.CoreComponents;
import io.gatling.core.actor.ActorSystem;
import io.gatling.core.cli.GatlingArgs;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.controller.Controller;
import io.gatling.core.controller.inject.ScenarioFlows;
import io.gatling.core.scenario.Scenario;
import io.gatling.core.scenario.SimulationParams;
import io.gatling.core.stats.StatsEngine;
import io.gatling.core.stats.writer.RunMessage;
import io.gatling.netty.util.Transports;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import scala.Option;
import scala.Tuple2;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;
import scala.util.Try;

/**
 * Gatling's engine, booted the way {@code io.gatling.app.Gatling} boots it, with two differences that let slogate run
 * a user's own simulation as it is: the simulation class comes from its own class loader (Gatling looks classes up in
 * its own), and every response goes through a {@link TimelineStatsEngine} into slogate's timeline. Tied to the
 * embedded Gatling version: its {@code Runner} is an internal class.
 */
final class GatlingEngine {
    /** The JVM system property a simulation can read the scenario's target from. */
    static final String BASE_URL_PROPERTY = "slogate.baseUrl";
    private final ClientTimeline timeline;
    private final long timeoutMillis;
    private volatile Controller.Command pendingStop;
    private volatile io.gatling.core.actor.ActorRef<Controller.Command> controller;
    private volatile TimelineStatsEngine stats;

    GatlingEngine(ClientTimeline timeline, Duration requestTimeout) {
        this.timeline = timeline;
        this.timeoutMillis = requestTimeout.toMillis();
    }

    /**
     * slogate's Gatling settings: the scenario's request timeout (so every request ends, as a timeout at worst, before
     * its second is judged), no warm-up request to gatling.io, no result files, no analytics. A {@code gatling.conf}
     * in the user's jar is not read.
     */
    static GatlingConfiguration configuration(Duration requestTimeout) {
        List<Tuple2<String, ?>> props = List.of(
                new Tuple2<>("gatling.http.requestTimeout", requestTimeout.toMillis()),
                new Tuple2<>("gatling.http.warmUpUrl", ""),
                new Tuple2<>("gatling.data.writers", java.util.List.of()),
                new Tuple2<>("gatling.data.enableAnalytics", false));
        return GatlingConfiguration.loadForTest(CollectionConverters.asScala(props).toList());
    }

    /** Gatling's DSL reads its configuration from a global; set before a simulation is created. */
    static void useConfiguration(GatlingConfiguration configuration) {
        io.gatling.core.Predef$.MODULE$._configuration_$eq(configuration);
    }

    /**
     * Runs the simulation to its end (or until {@link #stop}); returns 0 when Gatling completed, 1 when it crashed.
     * {@code baseUrl} (the scenario's target) is set as the system property {@value #BASE_URL_PROPERTY} first.
     * {@code beforeStart} runs once Gatling has booted and the simulation is built, just before the first user.
     */
    int run(OwnSimulation simulation, Path resultsDir, String baseUrl, Runnable beforeStart) throws Exception {
        // the target, for a simulation that reads its base URL from a property: System.getProperty("slogate.baseUrl")
        System.setProperty(BASE_URL_PROPERTY, baseUrl);
        GatlingConfiguration configuration = configuration(Duration.ofMillis(timeoutMillis));
        useConfiguration(configuration);
        ActorSystem system = new ActorSystem();
        EventLoopGroup loop = Transports.newEventLoopGroup(configuration.netty().useNativeTransport(),
                configuration.netty().useIoUring(), 0, "gatling");
        try {
            return simulation.inContext(() -> {
                GatlingArgs args = new GatlingArgs(Option.apply(simulation.simulationClass().getName()), Option.empty(), true,
                        Option.empty(), Option.apply(resultsDir), Option.apply("slogate"), Option.empty());
                MeasuringRunner runner = new MeasuringRunner(system, loop, args, configuration);
                Selection selection = new Selection(SimulationClass$.MODULE$.fromClass(simulation.simulationClass()).get(),
                        simulation.simulationClass().getSimpleName(), "slogate");
                Tuple4<SimulationParams, RunMessage, CoreComponents, ScenarioFlows<String, Scenario>> loaded;
                try {
                    loaded = runner.load(selection);
                } catch (LinkageError e) {
                    throw OwnSimulation.linkage(simulation.simulationClass().getName(), e);
                }
                controller = loaded._3().controller();
                beforeStart.run();
                timeline.completionsOnly(true);
                if (pendingStop != null) {
                    return 0;
                }
                Try<?> done = runner.start(loaded._1(), loaded._4(), loaded._3());
                if (pendingStop != null && done.isSuccess()) {
                    loaded._1().after().apply();
                    return 0;
                }
                if (done.isFailure()) {
                    System.err.println("slogate: the simulation crashed: " + done.failed().get());
                    return 1;
                }
                loaded._1().after().apply();
                return 0;
            });
        } finally {
            timeline.completionsOnly(false); // the load is over: no request is in flight any more
            system.close();
            loop.shutdownGracefully(0, configuration.core().shutdownTimeout(), TimeUnit.MILLISECONDS);
        }
    }

    /** Ends the load generator gracefully (users stop, Gatling returns); safe from any thread, before or during a run. */
    void stop(String reason) {
        Controller.Command stop = stopCommand("slogate stop: " + reason);
        pendingStop = stop;
        var c = controller;
        if (c != null) {
            c.$bang(stop);
        }
    }

    /** Gatling's own "stop the load generator" command (what {@code stopLoadGenerator} in the DSL sends), not a crash. */
    private static Controller.Command stopCommand(String message) {
        try {
            // a Scala case class nested in objects: javac does not see it by name, reflection does
            return (Controller.Command) Class.forName("io.gatling.core.controller.Controller$Command$StopLoadGenerator")
                    .getConstructor(String.class, boolean.class).newInstance(message, false);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Gatling has no StopLoadGenerator command: " + e, e);
        }
    }

    /** Responses (and failures) Gatling recorded so far. */
    long responses() {
        TimelineStatsEngine s = stats;
        return s == null ? 0 : s.responses();
    }

    /** What Gatling could not send (requests it failed to build), for the load's summary; empty if none. */
    String crashes() {
        TimelineStatsEngine s = stats;
        if (s == null || s.crashes() == 0) {
            return "";
        }
        return s.crashes() + " request(s) of the simulation could not be built and were not sent (first: " + s.firstCrash() + ")";
    }

    /** Gatling's runner with slogate's stats engine wrapped around Gatling's own. */
    private final class MeasuringRunner extends Runner {
        MeasuringRunner(ActorSystem system, EventLoopGroup loop, GatlingArgs args, GatlingConfiguration configuration) {
            super(system, loop, new DefaultClock(), args, configuration);
        }

        @Override
        public StatsEngine newStatsEngine(SimulationParams params, RunMessage runMessage) {
            TimelineStatsEngine engine = new TimelineStatsEngine(super.newStatsEngine(params, runMessage), timeline, timeoutMillis);
            stats = engine;
            return engine;
        }
    }
}
