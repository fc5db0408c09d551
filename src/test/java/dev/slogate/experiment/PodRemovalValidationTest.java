package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** podRemoval (delete | evict) and gracePeriod on pod and node faults: loaded, or refused at their line with what to write. */
class PodRemovalValidationTest {
    private static final String SCENARIO = """
            apiVersion: slogate/v1
            kind: Scenario
            metadata: {name: t}
            spec:
              target: {url: http://127.0.0.1:8080}
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
              kubernetes:
                allowedNamespaces: [shop]
              faults:
                - name: f
                  at: 10s
                  fault: %s
            """;
    /** The line of the fault item (where problems of its backend are reported) and of its inline fault. */
    private static final int ITEM = 12;
    private static final int FAULT = 14;
    private static final String NODE = "{type: node-kill, selector: {nodes: [n3], mode: all}, duration: 20s";
    private static final String ZONE = "{type: zone-outage, selector: {zone: z2, mode: all}, duration: 20s";
    private static final String POD = "{type: pod-kill, selector: {namespace: shop, labels: {app: checkout}, mode: one}";

    @TempDir
    Path dir;

    private FaultSpec load(String fault) throws IOException {
        return new ExperimentLoader().loadScenario(YamlFixture.write(dir, "s.yaml", SCENARIO.formatted(fault))).faults().get(0).fault();
    }

    private void fails(String fault, String part) throws IOException {
        fails(fault, part, FAULT);
    }

    private void fails(String fault, String part, int line) throws IOException {
        Path s = YamlFixture.write(dir, "s.yaml", SCENARIO.formatted(fault));
        YamlFixture.expectOne(assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s)), part, line, 0);
    }

    @Test
    void deleteIsTheDefaultAndEvictIsReadForPodAndNodeFaults() throws IOException {
        FaultSpec plain = load(NODE + "}");
        assertEquals(PodRemoval.DELETE, plain.options().podRemoval().mode());
        assertFalse(plain.options().podRemoval().evict());
        assertEquals(ClusterOptions.DEFAULTS, plain.cluster(), "no key written: the defaults");

        FaultSpec node = load(NODE + ", podRemoval: evict, gracePeriod: 30s}");
        assertTrue(node.options().podRemoval().evict());
        assertEquals(Duration.ofSeconds(30), node.options().podRemoval().gracePeriod());
        assertEquals(Backend.KUBERNETES, node.backend());
        assertTrue(load(ZONE + ", podRemoval: evict}").options().podRemoval().evict());
        assertTrue(FaultReader.describe(node).endsWith(" (evict, PodDisruptionBudgets respected)"), "plan and the report say so: " + FaultReader.describe(node));
        assertFalse(FaultReader.describe(plain).contains("evict"));
        assertTrue(load(POD + ", podRemoval: evict}").options().podRemoval().evict());
        assertFalse(load(POD + ", podRemoval: delete}").options().podRemoval().evict());
    }

    @Test
    void aWrongPodRemovalIsRefusedAtItsLine() throws IOException {
        fails(NODE + ", podRemoval: evcit}", "unknown podRemoval 'evcit'; did you mean 'evict'?");
        fails("{type: pod-failure, selector: {namespace: shop, labels: {app: checkout}, mode: one}, duration: 5s, podRemoval: evict}",
                "podRemoval only applies to pod-kill, node-kill, region-outage or zone-outage faults");
        fails(ZONE + ", mechanism: partition, podRemoval: evict}", "podRemoval: evict has no meaning with mechanism: partition");
        fails(POD + ", podRemoval: evict, backend: chaos-mesh}", "chaos-mesh deletes pods, it cannot evict them", ITEM);
        fails("{type: pod-failure, selector: {namespace: shop, labels: {app: checkout}, mode: one}, duration: 5s, gracePeriod: 5s}",
                "gracePeriod only applies to pod-kill, node-kill, region-outage or zone-outage faults");
    }
}
