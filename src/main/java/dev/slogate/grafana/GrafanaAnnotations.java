package dev.slogate.grafana;

import dev.slogate.experiment.GrafanaSettings;
import dev.slogate.experiment.Scenario;
import dev.slogate.experiment.ScheduledFault;
import dev.slogate.redact.Redaction;
import dev.slogate.redact.Secrets;
import dev.slogate.report.RunReport;
import dev.slogate.run.RunListener;
import dev.slogate.timeline.Event;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The run in the team's Grafana ({@code grafana:} in the scenario): an annotation region for the run and one per
 * fault, created when it starts (at the load's start, at the injection) and ended when it ends (at the run's end, at
 * the revert), so a dashboard shows a fault while it is on. Every annotation is tagged {@code slogate},
 * {@code run:<id>}, {@code scenario:<name>} and the scenario's own tags; a fault's also {@code fault},
 * {@code fault:<name>} and its type; the run's {@code run}; a stop condition is a point tagged {@code stop}.
 *
 * <p>Grafana is called on a thread of its own, in order, never on the run's: a slow or unreachable Grafana costs the
 * run nothing while it measures; only the report waits, at most {@code DRAIN}, for the requests still queued. Its
 * failures are notes in the report ({@link #notes()}), never a failed run; after the report is written they are printed.
 */
public final class GrafanaAnnotations implements RunListener {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long the report waits for the requests still queued (after the load and the judging: it measures nothing). */
    static final Duration DRAIN = Duration.ofSeconds(5);
    private static final int MAX_LISTED = 3;

    private final GrafanaClient client;
    private final GrafanaSettings settings;
    private final PrintStream late;
    private final ExecutorService calls = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slogate-grafana");
        t.setDaemon(true);
        return t;
    });
    /** Touched on the calls thread only. */
    private final Map<String, Long> ids = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    /** Failures past the first few (an unreachable Grafana fails every call alike): counted, not listed. */
    private int moreFailures;
    private volatile boolean reported;
    private volatile List<String> baseTags = List.of("slogate");
    private volatile Map<String, String> types = Map.of();
    private volatile boolean runEnded;

    GrafanaAnnotations(GrafanaSettings settings, GrafanaClient client, PrintStream late) {
        this.settings = settings;
        this.client = client;
        this.late = late;
    }

    /**
     * The annotations a scenario asks for, or a watcher that does nothing when it asks for none. Without a token in
     * {@code $tokenEnv} it writes none and says so in the report.
     *
     * @param env  reads a variable (System::getenv; a test passes its own)
     * @param late where failures that come after the report are printed
     */
    public static RunListener of(Scenario scenario, UnaryOperator<String> env, PrintStream late) {
        GrafanaSettings g = scenario.grafana();
        if (g == null) {
            return new RunListener() {
            };
        }
        String token = env.apply(g.tokenEnv());
        if (token == null || token.isBlank()) {
            String why = "grafana: no annotations were written: $" + g.tokenEnv() + " is not set; export " + g.tokenEnv()
                    + "=<a Grafana service account token with the Editor role> before the run";
            return new RunListener() {
                @Override
                public List<String> notes() {
                    return List.of(why);
                }
            };
        }
        Secrets.process().remember(token);
        return new GrafanaAnnotations(g, new GrafanaClient(g.url(), token, g.tokenEnv(), TIMEOUT), late);
    }

    @Override
    public void started(String runId, Scenario scenario, long startMillis) {
        List<String> tags = new ArrayList<>(List.of("slogate", "run:" + runId, "scenario:" + scenario.name()));
        settings.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
        baseTags = List.copyOf(tags);
        Map<String, String> byName = new HashMap<>();
        for (ScheduledFault f : scenario.faults()) {
            byName.put(f.name(), f.fault().type().id());
        }
        types = Map.copyOf(byName);
        create("run", startMillis, List.of("run"), "slogate run " + runId + ": scenario " + scenario.name());
    }

    @Override
    public void event(Event e) {
        switch (e.kind()) {
            case FAULT_INJECTED -> {
                List<String> tags = new ArrayList<>(List.of("fault", "fault:" + e.subject()));
                String type = types.get(e.subject());
                if (type != null) {
                    tags.add(type);
                }
                create("fault:" + e.subject(), e.atMillis(), tags, "fault " + e.subject() + ": " + e.detail());
            }
            case FAULT_REVERTED -> end("fault:" + e.subject(), e.atMillis());
            case STOP_CONDITION -> create(null, e.atMillis(), List.of("stop"), "slogate stopped the run: " + e.detail());
            case RUN_END -> {
                runEnded = true;
                end("run", e.atMillis());
            }
            default -> {
            }
        }
    }

    @Override
    public List<String> notes() {
        try {
            calls.submit(() -> { }).get(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (failures) {
                failures.add("grafana: requests to " + Redaction.url(settings.url()) + " were still pending after "
                        + DRAIN.toSeconds() + " s; some annotations may be missing or without their end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RejectedExecutionException e) {
            // nothing queued can fail: the marker task is empty
        }
        synchronized (failures) {
            reported = true;
            List<String> out = new ArrayList<>(failures);
            if (moreFailures > 0) {
                out.add("grafana: " + moreFailures + " more request" + (moreFailures == 1 ? "" : "s") + " to "
                        + Redaction.url(settings.url()) + " failed alike");
            }
            return List.copyOf(out);
        }
    }

    @Override
    public void finished(RunReport report) {
        if (!runEnded) { // a run that failed before its end event: the region ends with the report
            end("run", report.endMillis());
        }
        calls.shutdown();
    }

    private void create(String key, long at, List<String> extraTags, String text) {
        List<String> tags = new ArrayList<>(baseTags);
        extraTags.stream().filter(t -> !tags.contains(t)).forEach(tags::add);
        GrafanaClient.Annotation a = new GrafanaClient.Annotation(settings.dashboardUid(), at, null, tags, Redaction.text(text));
        submit(() -> {
            long id = client.create(a);
            if (key != null) {
                ids.put(key, id);
            }
        });
    }

    private void end(String key, long at) {
        submit(() -> {
            Long id = ids.remove(key);
            if (id != null) { // its creation failed (a note says so) or it was never created
                client.end(id, at);
            }
        });
    }

    private void submit(Runnable call) {
        try {
            calls.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    failed(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // after finished(): nothing more to write
        }
    }

    private void failed(RuntimeException e) {
        String note = "grafana: " + Redaction.text(e.getMessage() == null ? e.toString() : e.getMessage());
        synchronized (failures) {
            if (!reported) {
                if (failures.size() < MAX_LISTED) {
                    failures.add(note);
                } else {
                    moreFailures++;
                }
                return;
            }
        }
        late.println("warning: " + note);
    }
}
