package dev.slogate.fault.kubernetes;

import dev.slogate.fault.FaultException;
import dev.slogate.timeline.Event;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes a fault's pods through the Eviction API (policy/v1, {@code pods/eviction create}), so PodDisruptionBudgets
 * hold as in a drain. An eviction the API server refuses with 429 (a budget has no disruption to spare) is retried
 * every second until {@code deadline} (the end of the fault's duration); at the deadline, or when the fault is reverted
 * first, each pod never evicted goes on the timeline with the budget that refused it. That is an outcome of the
 * experiment, not an error: the run goes on.
 *
 * <p>The request is posted through the client's own HTTP client (its credentials, without its 429 retries) rather than
 * {@code pods().evict(Eviction)}, which backs off on a 429 for tens of seconds, then returns only false and drops the
 * Status that names the budget.
 */
final class PodEvictions {
    /** The API server's cause on a PDB refusal: "The disruption budget checkout-pdb needs 2 healthy pods and has 2 currently". */
    private static final Pattern BUDGET = Pattern.compile("disruption budget (\\S+)");

    /** A pod an eviction was refused for: since when, and by which budget (or the API server's message). */
    private record Refused(Pod pod, long since, String by) {
    }

    private final KubernetesClient client;
    /** The client's HTTP client without its own retries of 429s (10, backing off up to tens of seconds): this class retries them every second. */
    private final HttpClient http;
    private final String fault;
    private final long injectedAt;
    private final long deadline;
    private final long graceSeconds;
    private final Consumer<Event> timeline;
    private final Map<String, Refused> refused = new LinkedHashMap<>();
    private ScheduledFuture<?> retries;
    private boolean finished;

    PodEvictions(KubernetesClient client, String fault, long injectedAt, long deadline, long graceSeconds, Consumer<Event> timeline) {
        this.client = client;
        this.http = client.getHttpClient().newBuilder()
                .tag(new RequestConfigBuilder().withRequestRetryBackoffLimit(0).withRequestRetryBackoffInterval(0).build()).build();
        this.fault = fault;
        this.injectedAt = injectedAt;
        this.deadline = deadline;
        this.graceSeconds = graceSeconds;
        this.timeline = timeline;
    }

    /**
     * Evicts each pod once now; those refused are retried every second on {@code scheduler} until the deadline. An error
     * other than a refusal (403 without pods/eviction create, a pod under two budgets: 500) fails the fault.
     */
    synchronized void start(Iterable<Pod> pods, ScheduledExecutorService scheduler) {
        long now = System.currentTimeMillis();
        for (Pod p : pods) {
            String refusal = evict(p);
            if (refusal != null) {
                refused.put(key(p), new Refused(p, now, refusal));
            }
        }
        if (refused.isEmpty()) {
            finished = true;
        } else if (now >= deadline) {
            finish();
        } else {
            retries = scheduler.scheduleWithFixedDelay(this::retry, 1, 1, TimeUnit.SECONDS);
        }
    }

    private synchronized void retry() {
        if (finished) {
            return;
        }
        long now = System.currentTimeMillis();
        for (var it = refused.entrySet().iterator(); it.hasNext(); ) {
            Refused r = it.next().getValue();
            String refusal;
            try {
                refusal = evict(r.pod());
            } catch (FaultException e) {
                note(r.pod(), "eviction failed, not retried: " + e.getMessage());
                it.remove();
                continue;
            }
            if (refusal == null) {
                note(r.pod(), String.format(Locale.ROOT, "evicted after %s for %.0f s", r.by(), (now - r.since()) / 1000.0));
                it.remove();
            }
        }
        if (refused.isEmpty() || System.currentTimeMillis() >= deadline) {
            finish();
        }
    }

    /** Stops retrying and notes each pod never evicted. Idempotent: the deadline, revert and close all call it. */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (retries != null) {
            retries.cancel(false);
        }
        long now = System.currentTimeMillis();
        refused.values().forEach(r -> note(r.pod(), String.format(Locale.ROOT, "eviction refused by %s for %.0f s", r.by(), (now - r.since()) / 1000.0)));
        refused.clear();
    }

    /** Posts one Eviction; null when the pod is evicted (or already gone), else who refused it. */
    private String evict(Pod p) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        Eviction eviction = new EvictionBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withDeleteOptions(new DeleteOptionsBuilder().withGracePeriodSeconds(graceSeconds).build()).build();
        String url = URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces", ns, "pods", name, "eviction");
        HttpResponse<String> response;
        try {
            response = http.sendAsync(http.newHttpRequestBuilder().uri(url).post("application/json", Serialization.asJson(eviction)).build(), String.class)
                    .get(30, TimeUnit.SECONDS); // pods/eviction create
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultException("interrupted while evicting pod " + ns + "/" + name, e);
        } catch (Exception e) {
            throw new FaultException("cannot evict pod " + ns + "/" + name + ": " + e.getMessage(), e);
        }
        int code = response.code();
        if (code == 200 || code == 201 || code == 404) {
            return null; // 404: gone already, nothing left to evict
        }
        Status status = parse(response.body());
        String message = status == null || status.getMessage() == null ? "" : status.getMessage();
        if (code == 429) {
            return refusedBy(status, message);
        }
        throw new FaultException("evicting pod " + ns + "/" + name + " failed: HTTP " + code + " " + message
                + (code == 403 ? "; the service account needs pods/eviction create: apply k8s/rbac.yaml" : "")
                + (code == 500 && message.contains("more than one") ? "; a pod may be under one PodDisruptionBudget only: fix the budgets, or write podRemoval: delete" : ""));
    }

    /** "PodDisruptionBudget checkout-pdb" from the Status' causes (or message), else the API server's message. */
    static String refusedBy(Status status, String message) {
        var causes = status == null || status.getDetails() == null || status.getDetails().getCauses() == null ? List.<io.fabric8.kubernetes.api.model.StatusCause>of()
                : status.getDetails().getCauses();
        for (var c : causes) {
            Matcher m = BUDGET.matcher(c.getMessage() == null ? "" : c.getMessage());
            if (m.find()) {
                return "PodDisruptionBudget " + m.group(1);
            }
        }
        Matcher m = BUDGET.matcher(message);
        if (m.find()) {
            return "PodDisruptionBudget " + m.group(1);
        }
        return message.isEmpty() ? "the API server (429)" : "the API server (429: " + message + ")";
    }

    private static Status parse(String body) {
        try {
            return body == null || body.isBlank() ? null : Serialization.unmarshal(body, Status.class);
        } catch (RuntimeException e) {
            return null; // not a Status: the code alone says what happened
        }
    }

    private void note(Pod p, String detail) {
        long now = System.currentTimeMillis();
        timeline.accept(new Event(now, Event.Kind.NOTE, fault, key(p) + ": " + detail
                + String.format(Locale.ROOT, " (+%.1f s)", (now - injectedAt) / 1000.0)));
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
