package dev.slogate.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.fault.types.ContainerKill;
import dev.slogate.yaml.Problem;
import dev.slogate.yaml.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cloud node stops, zone partitions, the dashboard transport keys and container-kill routing: loaded, or refused at their line. */
class CloudAndZoneValidationTest {
    private static final String HEAD = "apiVersion: slogate/v1\nkind: Scenario\nmetadata: {name: t}\nspec:\n";
    /** Lines 5-11; line 12 is "faults:", the fault item is on line 13 and its fault: on line 15. */
    private static String body(String extraKubernetes) {
        return """
                  target: {url: http://127.0.0.1:8080}
                  load:
                    stages: [{hold: {rps: 10, duration: 60s}}]
                    requests: [{path: /}]
                  kubernetes:
                    allowedNamespaces: [shop, ops]
                """ + "    " + extraKubernetes + "\n";
    }

    private static final int FAULT = 13;

    @TempDir
    Path dir;

    private Path write(String kube, String fault) throws IOException {
        return YamlFixture.write(dir, "s.yaml", HEAD + body(kube) + "  faults:\n    - name: f\n      at: 10s\n      fault: " + fault + "\n");
    }

    private Scenario load(String kube, String fault) throws IOException {
        return new ExperimentLoader().loadScenario(write(kube, fault));
    }

    private Problem fails(String kube, String fault, String part, int line) throws IOException {
        Path s = write(kube, fault);
        return YamlFixture.expectOne(assertThrows(ValidationException.class, () -> new ExperimentLoader().loadScenario(s)), part, line, 0);
    }

    private static final String AWS = "{type: aws-ec2-stop, duration: 40s, cloud: {namespace: ops, secretName: aws-creds, awsRegion: eu-west-1, ec2Instance: i-0abc}}";

    @Test
    void aCloudStopLoadsWhenTheExperimentAllowsItAndGoesToChaosMesh() throws IOException {
        FaultSpec f = load("allowCloudFaults: true", AWS).faults().get(0).fault();
        assertEquals(FaultType.AWS_EC2_STOP, f.type());
        assertEquals(Backend.CHAOS_MESH, f.backend());
        assertEquals(new CloudInstance("ops", "aws-creds", Map.of("awsRegion", "eu-west-1", "ec2Instance", "i-0abc")), f.options().cloud());
        assertEquals(List.of("awsRegion", "ec2Instance"), List.copyOf(f.options().cloud().location().keySet()), "in the CRD's order");
        assertEquals("ops", f.selector().scope().namespace());
        FaultSpec g = load("allowCloudFaults: true", "{type: gcp-node-stop, duration: 30s, cloud: {namespace: ops, secretName: gcp-key,"
                + " project: p, zone: europe-west1-b, instance: gke-1}}").faults().get(0).fault();
        assertEquals(List.of("project", "zone", "instance"), List.copyOf(g.options().cloud().location().keySet()));
        FaultSpec a = load("allowCloudFaults: true", "{type: azure-vm-stop, duration: 30s, cloud: {namespace: ops, secretName: az,"
                + " subscriptionID: s, resourceGroupName: rg, vmName: vm-1}}").faults().get(0).fault();
        assertEquals("vm-1", a.options().cloud().location().get("vmName"));
    }

    @Test
    void aCloudStopIsRefusedUnlessAllowedAndNeedsItsInstanceAndSecretNamed() throws IOException {
        Problem p = fails("allowCloudFaults: false", AWS, "does not allow cloud faults", FAULT);
        assertTrue(p.hint().contains("allowCloudFaults: true"), p.hint());
        fails("context: x", AWS, "does not allow cloud faults", FAULT); // absent means no
        fails("allowCloudFaults: true", AWS.replace("secretName: aws-creds, ", ""), "needs 'secretName'", FAULT + 2);
        fails("allowCloudFaults: true", AWS.replace(", ec2Instance: i-0abc", ""), "needs 'ec2Instance'", FAULT + 2);
        fails("allowCloudFaults: true", "{type: gcp-node-stop, duration: 30s, cloud: {namespace: ops, secretName: k, project: p, zone: z}}",
                "needs 'instance'", FAULT + 2);
        fails("allowCloudFaults: true", "{type: aws-ec2-stop, duration: 40s}", "needs 'cloud'", FAULT + 2);
        fails("allowCloudFaults: true", AWS.replace("}}", ", vmName: x}}"), "vmName", FAULT + 2);
        fails("allowCloudFaults: true", AWS.replace("duration: 40s, ", "duration: 40s, selector: {labels: {a: b}, mode: one}, "),
                "selector has no meaning for aws-ec2-stop", FAULT + 2);
        fails("allowCloudFaults: true", AWS.replace("namespace: ops", "namespace: prod"), "touches namespace 'prod'", FAULT);
        fails("allowCloudFaults: true", "{type: pod-kill, selector: {namespace: shop, labels: {a: b}, mode: one}, cloud: {namespace: ops}}",
                "cloud only applies to aws-ec2-stop", FAULT + 2);
        fails("allowCloudFaults: yes please", AWS, "allowCloudFaults", 11);
    }

    private static final String ZONE = "{type: zone-outage, selector: {zone: eu-west-1b, mode: all}, duration: 30s, mechanism: partition}";

    @Test
    void aZoneOutageByPartitionGoesToChaosMeshAndOtherwiseIsRefusedWhereItIsWrong() throws IOException {
        FaultSpec f = load("context: x", ZONE).faults().get(0).fault();
        assertEquals(Backend.CHAOS_MESH, f.backend());
        assertTrue(f.options().partition());
        assertEquals(Backend.KUBERNETES, load("context: x", ZONE.replace(", mechanism: partition", "")).faults().get(0).fault().backend(),
                "kill stays the default");
        fails("context: x", ZONE.replace("}", ", backend: kubernetes}").replace("eu-west-1b, mode: all, backend: kubernetes}", "eu-west-1b, mode: all}"),
                "by network partition, which only chaos-mesh injects", FAULT);
        fails("context: x", ZONE.replace("partition", "partiton"), "unknown mechanism 'partiton'; did you mean 'partition'?", FAULT + 2);
        fails("context: x", "{type: pod-kill, selector: {namespace: shop, labels: {a: b}, mode: one}, mechanism: partition}",
                "mechanism only applies to region-outage or zone-outage", FAULT + 2);
        fails("context: x", ZONE.replace(", mechanism: partition", ", backend: chaos-mesh"), "chaos-mesh cannot zone-outage by killing nodes", FAULT);
    }

    @Test
    void theDashboardTransportTakesTheTokensVariableNameNeverTheToken() throws IOException {
        KubernetesSettings k = load("chaosMesh: {dashboardUrl: 'http://127.0.0.1:2333', tokenEnv: CHAOS_TOKEN}",
                "{type: pod-failure, selector: {namespace: shop, labels: {a: b}, mode: one}, duration: 5s}").kubernetes();
        assertEquals(new KubernetesSettings.ChaosMesh("chaos-mesh", "http://127.0.0.1:2333", "CHAOS_TOKEN"), k.chaosMesh());
        assertEquals("SLOGATE_CHAOS_MESH_TOKEN", load("chaosMesh: {dashboardUrl: 'http://127.0.0.1:2333'}",
                "{type: pod-failure, selector: {namespace: shop, labels: {a: b}, mode: one}, duration: 5s}").kubernetes().chaosMesh().tokenEnv());
        String f = "{type: pod-failure, selector: {namespace: shop, labels: {a: b}, mode: one}, duration: 5s}";
        Problem literal = fails("chaosMesh: {dashboardUrl: 'http://127.0.0.1:2333', tokenEnv: 'eyJhbGciOi.x.y'}", f,
                "is not an environment variable name", 11);
        assertFalse(literal.toString().contains("eyJhbGciOi"), "a tokenEnv holding a token is not repeated: " + literal);
        fails("chaosMesh: {tokenEnv: CHAOS_TOKEN}", f, "there is no dashboardUrl", 11);
    }

    @Test
    void containerKillNeedsContainerNamesAndIsChaosMeshOnly() throws IOException {
        String ck = "{type: container-kill, selector: {namespace: shop, labels: {app: a}, mode: one}, containers: [app]}";
        FaultSpec f = load("context: x", ck).faults().get(0).fault();
        assertEquals(Backend.CHAOS_MESH, f.backend());
        assertEquals(List.of("app"), f.options(ContainerKill.Options.class).containers());
        fails("context: x", ck.replace(", containers: [app]", ""), "needs 'containers'", FAULT + 2);
        Problem k = fails("context: x", ck.replace("}", ", backend: kubernetes}").replace("app: a}, backend: kubernetes}", "app: a}"),
                "backend kubernetes cannot inject container-kill", FAULT + 2);
        assertTrue(k.hint().contains("chaos-mesh"), k.hint());
        fails("context: x", ck.replace("}", ", backend: local}").replace("app: a}, backend: local}", "app: a}"), "backend local cannot inject container-kill", FAULT + 2);
    }
}
