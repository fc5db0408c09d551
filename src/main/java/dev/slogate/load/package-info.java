/**
 * Load: Gatling embedded in the harness JVM, driven by the scenario's {@link dev.slogate.experiment.Load}.
 *
 * <pre>{@code
 * ClientTimeline timeline = ClientTimeline.forLoad(load);          // per-second HdrHistograms by intended send time
 * timeline.onLive(live -> stopConditions.offer(live));              // each second: so far + stalled (progress, stops)
 * timeline.onSecond(second -> judge(second));                       // final seconds, in order, all outcomes in
 * try (ClientMetrics metrics = new ClientMetrics(timeline, 0)) {    // /metrics on 127.0.0.1:metrics.port()
 *     LoadRunner runner = new LoadRunner();                         // runner.stop("why") from any thread
 *     LoadResult result = runner.run(new LoadPlan(baseUrl, load, workDir), timeline);   // blocks
 * } finally {
 *     timeline.close();                                             // makes every second up to now final
 * }
 * List<ClientSecond> seconds = timeline.seconds();
 * }</pre>
 *
 * The run's clock starts at {@link dev.slogate.load.ClientTimeline#start()}: set when Gatling starts, after the
 * optional warm-up ({@link dev.slogate.load.LoadPlan#warmUp()}); schedule faults relative to it.
 * A user's own Simulation from its own jar ({@code Load.simulationClasspath}) runs unchanged in its own class loader
 * ({@link dev.slogate.load.OwnSimulation}); every request Gatling records reaches the timeline through
 * {@code TimelineStatsEngine}. One on slogate's own classpath is measured only through {@link dev.slogate.load.LoadHooks}.
 */
package dev.slogate.load;
