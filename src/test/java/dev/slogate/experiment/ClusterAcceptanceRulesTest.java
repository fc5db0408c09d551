package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.fault.types.CpuStress;
import dev.slogate.fault.types.MemoryStress;
import dev.slogate.fault.types.NetworkBandwidth;
import dev.slogate.fault.types.NetworkDelay;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs a real Chaos Mesh 2.8 (CRD schema, admission webhook) or API server would refuse are validation errors at
 * their line and column, each tested at its exact boundary: the last accepted value loads, the first refused one is
 * reported with the accepted form in the hint.
 */
class ClusterAcceptanceRulesTest {
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    /** Lines 5-12; line 13 is "faults:", line 14 "- name: f", line 15 "at: 10s", line 16 the fault. */
    private static String body(String chaosMesh) {
        return """
                  target: {url: http://127.0.0.1:8080}
                  load:
                    stages: [{hold: {rps: 10, duration: 60s}}]
                    requests: [{path: /}]
                  kubernetes:
                    allowedNamespaces: [shop, ops]
                    allowCloudFaults: true
                """ + "    " + chaosMesh + "\n";
    }

    private static final int LINE = 16;
    /** The column where the fault's flow map starts ("      fault: " is 13 characters). */
    private static final int AT = 14;
    private static final String SEL = "selector: {namespace: shop, labels: {app: a}, mode: one}";

    @TempDir
    Path dir;

    private Path write(String chaosMesh, String fault) throws IOException {
        return YamlFixture.write(dir, "s.yaml", HEAD + body(chaosMesh) + "  faults:\n    - name: f\n      at: 10s\n      fault: " + fault + "\n");
    }

    private FaultSpec load(String fault) throws IOException {
        return load("context: c", fault);
    }

    private FaultSpec load(String chaosMesh, String fault) throws IOException {
        return new ExperimentLoader().loadScenario(write(chaosMesh, fault)).faults().get(0).fault();
    }

    /** One problem containing {@code part}, at the column where {@code at} starts in the fault's text. */
    private Problem fails(String fault, String part, String at) throws IOException {
        return fails("context: c", fault, part, at);
    }

    private Problem fails(String chaosMesh, String fault, String part, String at) throws IOException {
        Path s = write(chaosMesh, fault);
        ValidationException e = assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s));
        int column = at == null ? 0 : AT + fault.indexOf(at);
        assertTrue(at == null || fault.contains(at), at);
        return YamlFixture.expectOne(e, part, at == null ? 14 : LINE, column);
    }

    @Test
    void aPercentModeTakesAWholePercentage() throws IOException {
        for (String mode : new String[] {"fixed-percent", "random-max-percent"}) {
            String f = "{type: pod-kill, selector: {namespace: shop, labels: {app: a}, mode: " + mode + ", value: %s}}";
            assertEquals(37, load(f.formatted("37")).selector().value());
            assertEquals(100, load(f.formatted("100")).selector().value());
            assertEquals(1, load(f.formatted("1")).selector().value());
            assertEquals(37, load(f.formatted("37.0")).selector().value(), "a whole number written with a point is still whole");
            Problem p = fails(f.formatted("37.5"), "value is 37.5, but " + mode + " takes a whole percentage", "37.5");
            assertEquals("write value: 37 or value: 38", p.hint());
            fails(f.formatted("101"), "value is 101", "101");
            assertEquals("write value: 1", fails(f.formatted("0.5"), "takes a whole percentage", "0.5").hint());
        }
        String partition = "{type: network-partition, " + SEL + ", duration: 5s, target: {namespace: shop, labels: {app: db}, mode: fixed-percent, value: %s}}";
        assertEquals(50, load(partition.formatted("50")).options().peer().target().value());
        fails(partition.formatted("12.5"), "target.value is 12.5", "12.5");
    }

    @Test
    void aBandwidthRateIsAWholeNumberAndOneOfChaosMeshsUnits() throws IOException {
        String f = "{type: network-bandwidth, " + SEL + ", duration: 5s, bandwidth: %s}";
        for (String ok : new String[] {"1mbps", "1bps", "8mbit", "100kbit", "2gbps", "1tbit", "1500kbps", "1bit"}) {
            assertEquals(ok, load(f.formatted(ok)).options(NetworkBandwidth.Options.class).rate());
        }
        Problem p = fails(f.formatted("1.5mbps"), "bandwidth '1.5mbps' is not a rate Chaos Mesh accepts", "1.5mbps");
        assertTrue(p.hint().contains("1500kbps") && p.hint().contains("bytes per second") && p.hint().contains("mbit"), p.hint());
        fails(f.formatted("0mbps"), "bandwidth '0mbps' is not a rate", "0mbps");
        fails(f.formatted("1mbs"), "bandwidth '1mbs' is not a rate", "1mbs");
        fails(f.formatted("-1mbps"), "is not a rate", "-1mbps");
        fails(f.formatted("99999999999999999999bps"), "is not a rate", "9999");
    }

    @Test
    void fromAndBothNeedATargetExceptForAPartition() throws IOException {
        String target = ", target: {namespace: shop, labels: {app: db}}";
        for (String kind : new String[] {"network-delay, latency: 10ms", "network-loss, loss: 5%", "network-bandwidth, bandwidth: 1mbps"}) {
            String type = kind.substring(0, kind.indexOf(','));
            for (String dir : new String[] {"from", "both"}) {
                String f = "{type: " + kind + ", " + SEL + ", duration: 5s, direction: " + dir + "TARGET}";
                assertEquals(dir, load(f.replace("TARGET", target)).options().peer().direction());
                Problem p = fails(f.replace("TARGET", ""), "direction: " + dir + " needs target: the pods on the other side of the " + type, dir);
                assertTrue(p.hint().contains("write direction: to"), p.hint());
            }
            assertEquals("to", load("{type: " + kind + ", " + SEL + ", duration: 5s, direction: to}").options().peer().direction());
        }
        assertEquals("both", load("{type: network-partition, " + SEL + ", duration: 5s, direction: both" + target + "}").options().peer().direction());
    }

    @Test
    void stressWorkersAreAtMost8192() throws IOException {
        String f = "{type: cpu-stress, " + SEL + ", duration: 5s, workers: %s}";
        assertEquals(8192, load(f.formatted("8192")).options(CpuStress.Options.class).workers());
        Problem p = fails(f.formatted("8193"), "workers is 8193, but Chaos Mesh runs at most 8192 stress workers", "8193");
        assertEquals("write workers: 8192 or fewer", p.hint());
        fails("{type: memory-stress, " + SEL + ", duration: 5s, size: 1GB, workers: 8193}", "workers is 8193", "8193");
    }

    @Test
    void aMemorySizeInPercentIsAWholePercentageUpTo100() throws IOException {
        String f = "{type: memory-stress, " + SEL + ", duration: 5s, size: %s}";
        assertEquals("100%", load(f.formatted("'100%'")).options(MemoryStress.Options.class).size());
        assertEquals("1%", load(f.formatted("'1%'")).options(MemoryStress.Options.class).size());
        assertEquals("256MB", load(f.formatted("256MB")).options(MemoryStress.Options.class).size());
        fails(f.formatted("'101%'"), "size is 101%, but a share of the memory is a whole percentage from 1% to 100%", "'101%'");
        fails(f.formatted("'0%'"), "size is 0%", "'0%'");
        fails(f.formatted("'12.5%'"), "size '12.5%' is not a memory size", "'12.5%'");
        fails(f.formatted("0MB"), "size is 0MB, which stresses nothing", "0MB");
    }

    @Test
    void aDelayKeepsMicrosecondsAndRefusesFinerParts() throws IOException {
        String f = "{type: network-delay, " + SEL + ", duration: 5s, latency: %s, jitter: %s}";
        FaultSpec s = load(f.formatted("0.5ms", "1.5ms"));
        assertEquals(Duration.ofNanos(500_000), s.latency());
        assertEquals(Duration.ofNanos(1_500_000), s.options(NetworkDelay.Options.class).jitter());
        assertEquals(Duration.ofNanos(250_000), load(f.formatted("250us", "1us")).latency());
        assertEquals(Duration.ofSeconds(90), load(f.formatted("1m30s", "0ms")).latency(), "any length: the body is written as 90s");
        Problem p = fails(f.formatted("0.0005ms", "1ms"), "latency 0.0005ms is not a whole number of microseconds", "0.0005ms");
        assertEquals("write latency: 1us, or a value in ms or s", p.hint());
        fails(f.formatted("1ms", "1.0005ms"), "jitter 1.0005ms is not a whole number of microseconds", "1.0005ms");
    }

    @Test
    void selectorLabelsAreKubernetesLabelsAtTheirBoundaries() throws IOException {
        String v63 = "a".repeat(63);
        String f = "{type: pod-kill, selector: {namespace: shop, labels: {%s}, mode: one}}";
        assertEquals(v63, load(f.formatted("app: " + v63)).selector().labels().get("app"));
        assertEquals("x_y.z-1", load(f.formatted("app.kubernetes.io/name: x_y.z-1")).selector().labels().get("app.kubernetes.io/name"));
        Problem p = fails(f.formatted("app: " + v63 + "b"), "labels.app '" + v63 + "b' has 64 characters; a Kubernetes label value has at most 63", v63);
        assertTrue(p.hint().contains("app: checkout"), p.hint());
        fails(f.formatted("app: 'checkout-'"), "is not a Kubernetes label value", "'checkout-'");
        fails(f.formatted("app: 'check out'"), "is not a Kubernetes label value", "'check out'");
        fails(f.formatted("'-app': x"), "'-app' is not a Kubernetes label key", "'-app'");
        fails(f.formatted("'Example.com/app': x"), "is not a Kubernetes label key", "'Example.com/app'");
        fails(f.formatted(v63 + "b: x"), "is not a Kubernetes label key", v63);
        assertEquals(v63, load(f.formatted(v63 + ": x")).selector().labels().keySet().iterator().next());
        String target = "{type: network-partition, " + SEL + ", duration: 5s, target: {namespace: shop, labels: {app: 'db_'}}}";
        fails(target, "target.labels.app 'db_' is not a Kubernetes label value", "'db_'");
        fails("{type: node-kill, selector: {runningPod: {namespace: shop, labels: {app: 'a b'}}, mode: one}, duration: 5s}",
                "runningPod.labels.app 'a b' is not a Kubernetes label value", "'a b'");
    }

    @Test
    void namespacesAndZonesAreAtMost63Characters() throws IOException {
        String n63 = "n".repeat(63);
        String scenario = HEAD + body("context: c").replace("[shop, ops]", "[" + n63 + ", " + n63 + "x]") + "  faults:\n    - name: f\n      at: 10s\n      fault: ";
        String f = "{type: pod-kill, selector: {namespace: %s, labels: {app: a}, mode: one}}";
        assertEquals(n63, new ExperimentLoader().loadScenario(YamlFixture.write(dir, "n.yaml", scenario + f.formatted(n63) + "\n"))
                .faults().get(0).fault().selector().scope().namespace());
        Path s = YamlFixture.write(dir, "n.yaml", scenario + f.formatted(n63 + "x") + "\n");
        YamlFixture.expectOne(assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s)),
                "is not a Kubernetes namespace name", LINE, AT + f.indexOf("%s"));
        String zone = "{type: zone-outage, selector: {zone: %s, mode: all}, duration: 5s}";
        assertEquals("z".repeat(63), load(zone.formatted("z".repeat(63))).selector().scope().zone());
        fails(zone.formatted("z".repeat(64)), "zone '" + "z".repeat(64) + "' has 64 characters", "z".repeat(64));
    }

    @Test
    void anAzureStopCannotGoThroughTheDashboard() throws IOException {
        String azure = "{type: azure-vm-stop, duration: 30s, cloud: {namespace: ops, secretName: az, subscriptionID: s, resourceGroupName: rg, vmName: vm-1}}";
        String dashboard = "chaosMesh: {dashboardUrl: 'http://127.0.0.1:2333'}";
        Problem p = fails(dashboard, azure, "the Chaos Dashboard cannot stop or delete (it records no AzureChaos)", null);
        assertTrue(p.hint().contains("remove dashboardUrl"), p.hint());
        assertEquals(FaultType.AZURE_VM_STOP, load("chaosMesh: {namespace: chaos-mesh}", azure).type(), "through the API server it loads");
        String aws = "{type: aws-ec2-stop, duration: 40s, cloud: {namespace: ops, secretName: aws, awsRegion: eu-west-1, ec2Instance: i-0abc}}";
        assertEquals(FaultType.AWS_EC2_STOP, load(dashboard, aws).type(), "the dashboard records AWSChaos");
    }

    @Test
    void theLabelRulesMatchTheApiServersBoundaries() {
        assertTrue(KubernetesNames.isLabelValue(""));
        assertTrue(KubernetesNames.isLabelValue("a".repeat(63)));
        assertFalse(KubernetesNames.isLabelValue("a".repeat(64)));
        assertFalse(KubernetesNames.isLabelValue("x_"));
        assertFalse(KubernetesNames.isLabelValue(".x"));
        assertTrue(KubernetesNames.isLabelValue("A.b_c-9"));
        assertTrue(KubernetesNames.isLabelKey("k8s.io/" + "a".repeat(63)));
        assertFalse(KubernetesNames.isLabelKey("k8s.io/"));
        assertFalse(KubernetesNames.isLabelKey("/a"));
        assertTrue(KubernetesNames.isLabelKey("a".repeat(63) + ".com/a"));
        assertFalse(KubernetesNames.isLabelKey("a/b/c"));
        assertTrue(KubernetesNames.isDnsLabel("a".repeat(63)));
        assertFalse(KubernetesNames.isDnsLabel("a".repeat(64)));
        assertFalse(KubernetesNames.isDnsLabel("Shop"));
    }
}
