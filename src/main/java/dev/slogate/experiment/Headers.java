package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlReader;
import java.util.List;
import java.util.Set;

/** The {@code apiVersion}/{@code kind}/{@code metadata} head every slogate and OpenSLO document starts with. */
final class Headers {
    static final List<String> METADATA_KEYS = List.of("name", "description", "displayName", "labels", "annotations");
    static final Set<String> METADATA_ACCEPTED = Set.of("namespace");

    private Headers() {
    }

    /** Reports a missing or different apiVersion or kind, saying what this file must be. */
    static void expect(YamlReader r, Fields top, String apiVersion, String kind) {
        String v = top.requireText("apiVersion", "start the file with apiVersion: " + apiVersion);
        if (v != null && !v.equals(apiVersion)) {
            r.problem(top.get("apiVersion"), "apiVersion is '" + v + "', expected '" + apiVersion + "'", "write apiVersion: " + apiVersion);
        }
        String k = top.requireText("kind", "write kind: " + kind);
        if (k != null && !k.equals(kind)) {
            r.problem(top.get("kind"), "kind is '" + k + "', expected '" + kind + "' in this file", "write kind: " + kind
                    + (k.equals("Fault") || k.equals("Scenario") || k.equals("Objectives") || k.equals("SLO")
                    ? ", or point to this file from the right place (faults: ref, slos:)" : ""));
        }
    }
}
