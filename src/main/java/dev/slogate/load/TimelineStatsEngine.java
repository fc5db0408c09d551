package dev.slogate.load;

import io.gatling.commons.stats.Status;
import io.gatling.core.actor.ActorRef;
import io.gatling.core.controller.Controller;
import io.gatling.core.session.GroupBlock;
import io.gatling.core.stats.StatsEngine;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import scala.Option;
import scala.collection.immutable.List;

/**
 * Gatling's stats engine with every response also filed into slogate's {@link ClientTimeline}: this is how a user's
 * own simulation is measured without a line of it changed. Gatling reports each request here once it has ended, with
 * its start and end (wall-clock milliseconds on Gatling's monotonic clock), its status and response code; everything
 * else goes to Gatling's own engine unchanged.
 */
final class TimelineStatsEngine implements StatsEngine {
    private final StatsEngine gatling;
    private final ClientTimeline timeline;
    private final long timeoutMillis;
    private final LongAdder crashes = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final AtomicReference<String> firstCrash = new AtomicReference<>();

    TimelineStatsEngine(StatsEngine gatling, ClientTimeline timeline, long timeoutMillis) {
        this.gatling = gatling;
        this.timeline = timeline;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void logResponse(String scenario, List<String> groups, String requestName, long startTimestamp, long endTimestamp,
                            Status status, Option<String> responseCode, Option<String> message) {
        timeline.recordCompleted(requestName, classify("OK".equals(status.name()), responseCode.isDefined(),
                message.isDefined() ? message.get() : null, endTimestamp - startTimestamp, timeoutMillis),
                startTimestamp, endTimestamp);
        responses.increment();
        gatling.logResponse(scenario, groups, requestName, startTimestamp, endTimestamp, status, responseCode, message);
    }

    long responses() {
        return responses.sum();
    }

    /**
     * Gatling's outcome as slogate's status class: OK (every check passed); a response that failed a check (wrong status,
     * missing JSON field) an HTTP error; no response: a timeout when Gatling says so or the request timeout elapsed,
     * otherwise a connection error (refused, reset, closed).
     */
    static StatusClass classify(boolean ok, boolean answered, String message, long elapsedMillis, long timeoutMillis) {
        if (ok) {
            return StatusClass.OK;
        }
        if (answered) {
            return StatusClass.HTTP_ERROR;
        }
        boolean timedOut = elapsedMillis >= timeoutMillis || message != null && message.toLowerCase(java.util.Locale.ROOT).contains("request timeout");
        return timedOut ? StatusClass.TIMEOUT : StatusClass.CONNECT_ERROR;
    }

    @Override
    public void logRequestCrash(String scenario, List<String> groups, String requestName, String error) {
        // the request could not even be built (e.g. a session attribute missing): the simulation's failure, not a send
        crashes.increment();
        firstCrash.compareAndSet(null, requestName + ": " + error);
        gatling.logRequestCrash(scenario, groups, requestName, error);
    }

    /** Requests Gatling could not build (never sent, not in the timeline), and the first one's error. */
    long crashes() {
        return crashes.sum();
    }

    String firstCrash() {
        return firstCrash.get();
    }

    @Override
    public void start() {
        gatling.start();
    }

    @Override
    public void stop(ActorRef<Controller.Command> controller, Option<Exception> exception) {
        gatling.stop(controller, exception);
    }

    @Override
    public void logUserStart(String scenario) {
        gatling.logUserStart(scenario);
    }

    @Override
    public void logUserEnd(String scenario) {
        gatling.logUserEnd(scenario);
    }

    @Override
    public void logGroupEnd(String scenario, GroupBlock groupBlock, long exitTimestamp) {
        gatling.logGroupEnd(scenario, groupBlock, exitTimestamp);
    }

    @Override
    public ChannelHandler statsChannelHandler(String name) {
        return gatling.statsChannelHandler(name);
    }

    @Override
    public void logTcpConnectAttempt(InetSocketAddress address) {
        gatling.logTcpConnectAttempt(address);
    }

    @Override
    public void logTcpConnect(String host, long start, long end, Option<String> error) {
        gatling.logTcpConnect(host, start, end, error);
    }

    @Override
    public void logTlsHandshake(String host, long start, long end, Option<String> error) {
        gatling.logTlsHandshake(host, start, end, error);
    }
}
