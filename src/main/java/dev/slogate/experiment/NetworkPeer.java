package dev.slogate.experiment;

import java.util.List;

/**
 * The traffic a network fault acts on: the keys {@code direction} and {@code target}, read by each network type.
 *
 * @param direction to (traffic leaving the selected pods, the default), from or both
 * @param target    the pods on the other side (a partition's peer), or null
 */
public record NetworkPeer(String direction, Selector target) implements FaultOptions {
    public static final List<String> DIRECTIONS = List.of("to", "from", "both");
    public static final List<String> KEYS = List.of("direction", "target");
    /** Traffic leaving the selected pods, to anywhere: what a network fault does when neither key is written. */
    public static final NetworkPeer DEFAULT = new NetworkPeer("to", null);
    private static final String EXAMPLE = "{namespace: shop, labels: {app: db}, mode: all}";

    @Override
    public NetworkPeer peer() {
        return this;
    }

    /**
     * Reads {@link #KEYS} for the type {@code typeId}; {@code partition}: the target is required (the pods cut off), and
     * any direction goes without one otherwise only {@code to} does.
     */
    public static NetworkPeer read(FaultKeys k, String typeId, boolean partition) {
        String direction = k.oneOf("direction", "to", DIRECTIONS, "valid directions: " + String.join(", ", DIRECTIONS));
        Selector target = k.podSelector("target", EXAMPLE);
        if (!k.has("target") && partition && k.isMap()) {
            k.missing(typeId + " needs target: the pods cut off from the selected ones", "write target: " + EXAMPLE);
        }
        if (direction != null && !direction.equals("to") && !k.has("target") && !partition) {
            // Chaos Mesh's NetworkChaos webhook: from and both need the other side's pods, except for a partition
            k.problem("direction", "direction: " + direction + " needs target: the pods on the other side of the " + typeId,
                    "add target: " + EXAMPLE + ", or write direction: to (traffic leaving the selected pods)");
        }
        return direction == null || (k.has("target") && target == null) ? null : new NetworkPeer(direction, target);
    }
}
