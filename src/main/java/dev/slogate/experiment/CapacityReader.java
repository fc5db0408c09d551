package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The {@code capacity:} block of a scaling objective: where the replica counts come from.
 * <pre>
 * capacity: {from: kubernetes-api, workload: deployment/checkout, namespace: shop, hpa: checkout}   # the API server, during the run
 * capacity: {from: prometheus, workload: deployment/checkout, namespace: shop}                     # kube-state-metrics
 * </pre>
 */
final class CapacityReader {
    static final String KUBERNETES_API = "kubernetes-api";
    static final String PROMETHEUS = "prometheus";
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final String EXAMPLE = "write capacity: {from: kubernetes-api, workload: deployment/checkout, namespace: shop}";

    private CapacityReader() {
    }

    /** Either the kube-state-metrics selector or the workload to watch; null parts when there were problems. */
    record Capacity(String deployment, SloDef.Workload workload) {
    }

    static Capacity read(YamlReader r, YamlNode node, String where, BiConsumer<YamlNode, String> promql) {
        int before = r.problems().count();
        Fields c = r.fields(node, where, List.of("from", "workload", "namespace", "hpa"));
        String from = c.requireText("from", EXAMPLE + " (or from: prometheus for kube-state-metrics)");
        String workload = c.requireText("workload", EXAMPLE);
        String namespace = c.requireText("namespace", EXAMPLE);
        String hpa = c.text("hpa", null);
        if (from != null && !from.equals(KUBERNETES_API) && !from.equals(PROMETHEUS)) {
            r.problem(c.get("from"), "unknown capacity source '" + from + "'",
                    "write from: kubernetes-api (replicas read from the API server during the run) or from: prometheus (kube-state-metrics)");
        }
        String kind = null;
        String name = null;
        if (workload != null) {
            int slash = workload.indexOf('/');
            kind = slash < 0 ? null : workload.substring(0, slash).toLowerCase(Locale.ROOT);
            name = slash < 0 ? null : workload.substring(slash + 1);
            if (kind == null || !(kind.equals("deployment") || kind.equals("statefulset")) || !DNS_NAME.matcher(name).matches()) {
                r.problem(c.get("workload"), "workload '" + workload + "' is not <kind>/<name> with kind deployment or statefulset",
                        "write workload: deployment/checkout or workload: statefulset/db");
            }
        }
        if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
            r.problem(c.get("namespace"), "namespace '" + namespace + "' is not a Kubernetes namespace name", "write namespace: shop");
        }
        if (hpa != null && !DNS_NAME.matcher(hpa).matches()) {
            r.problem(c.get("hpa"), "hpa '" + hpa + "' is not a Kubernetes object name", "write hpa: checkout (the HorizontalPodAutoscaler's name)");
        }
        if (PROMETHEUS.equals(from) && hpa != null) {
            r.problem(c.get("hpa"), "hpa is read from the API server only", "drop hpa:, or write from: kubernetes-api");
        }
        if (PROMETHEUS.equals(from) && "statefulset".equals(kind)) {
            r.problem(c.get("workload"), "slogate reads only Deployments from kube-state-metrics",
                    "write from: kubernetes-api to read a StatefulSet's replicas from the API server");
        }
        if (r.problems().count() != before) {
            return null;
        }
        if (from.equals(PROMETHEUS)) {
            String selector = "namespace=\"" + namespace + "\",deployment=\"" + name + "\"";
            promql.accept(c.get("workload"), "kube_deployment_spec_replicas{" + selector + "}");
            return new Capacity(selector, null);
        }
        return new Capacity(null, new SloDef.Workload(kind, name, namespace, hpa));
    }
}
