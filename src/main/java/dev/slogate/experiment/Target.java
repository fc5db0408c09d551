package dev.slogate.experiment;

/**
 * The system under test. {@code sandbox} (the default) starts the local sandbox and aims at its load balancer;
 * {@code url} aims at a running service and the Prometheus that scrapes it.
 */
public record Target(Kind kind, String url, String prometheus, SandboxSpec sandbox) {
    public enum Kind { SANDBOX, URL }
}
