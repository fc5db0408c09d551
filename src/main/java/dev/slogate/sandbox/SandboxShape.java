package dev.slogate.sandbox;

import dev.slogate.experiment.SandboxSpec;

/**
 * What a run's figures depend on in a sandbox: regions x nodes per region x pods per node, and whether it has a
 * database. A run refuses a running sandbox of another shape than its scenario's, unless told otherwise.
 */
public record SandboxShape(int regions, int nodesPerRegion, int podsPerNode, boolean database) {

    public static SandboxShape of(SandboxSpec spec) {
        return new SandboxShape(spec.regions(), spec.nodesPerRegion(), spec.podsPerNode(), spec.database() != null);
    }

    /** The shape of a running sandbox, from its pods (an autoscaler's idle slots count: they are its capacity). */
    public static SandboxShape of(SandboxState state) {
        int regions = state.regions().size();
        int nodes = state.nodes().size();
        return new SandboxShape(regions, regions == 0 ? 0 : nodes / regions, nodes == 0 ? 0 : state.pods().size() / nodes,
                state.database() != null);
    }

    /** "2 regions x 2 nodes x 2 pods" (+ " with a database"). */
    @Override
    public String toString() {
        return regions + (regions == 1 ? " region" : " regions") + " x " + nodesPerRegion + (nodesPerRegion == 1 ? " node" : " nodes")
                + " x " + podsPerNode + (podsPerNode == 1 ? " pod" : " pods") + (database ? " with a database" : "");
    }
}
