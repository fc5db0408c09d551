package dev.slogate.experiment;

import dev.slogate.experiment.OpenSloIndicators.Ind;
import dev.slogate.experiment.OpenSloObjectives.Budgeting;
import dev.slogate.experiment.OpenSloObjectives.Objective;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads OpenSLO v1 documents as slogate SLOs. Liberal in what it accepts: every key the v1 specification defines is
 * accepted where the specification puts it, and what slogate cannot judge over one run (time windows, alerting, weights,
 * connection details...) is a located warning that names what is ignored. {@code metricSource.spec} is free-form: only
 * the query is read. References ({@code indicatorRef}, {@code metricSourceRef}, {@code alertPolicyRef}...) resolve in
 * the file first, then in every file given with it ({@link OpenSloObjects}). The SLIs are read by {@link OpenSloIndicators},
 * the objectives judged by {@link OpenSloObjectives}.
 */
final class OpenSloReader {
    static final String V1 = "openslo/v1";
    static final String V1ALPHA = "openslo/v1alpha";
    /** The kinds of OpenSLO v1. */
    static final List<String> KINDS = List.of("SLO", "SLI", "DataSource", "Service", "AlertPolicy", "AlertCondition", "AlertNotificationTarget");
    private static final List<String> SLO_SPEC = List.of("description", "service", "indicator", "indicatorRef", "timeWindow",
            "budgetingMethod", "objectives", "alertPolicies");
    /** Not OpenSLO v1, but seen in files written for vendors' dialects; read and ignored with a warning. */
    private static final Set<String> SLO_SPEC_FOREIGN = Set.of("alerting", "dataSourceRef");
    private static final List<String> OBJECTIVE = List.of("displayName", "op", "value", "target", "targetPercent", "timeSliceTarget",
            "timeSliceWindow", "indicator", "indicatorRef", "compositeWeight");

    private final SloReader owner;
    private final YamlReader r;
    private final OpenSloObjects objects;
    private final List<SloReader.Loaded> out;
    private final OpenSloIndicators indicators;
    private final OpenSloObjectives judging;

    OpenSloReader(SloReader owner, YamlReader r, OpenSloObjects objects, List<SloReader.Loaded> out) {
        this.owner = owner;
        this.r = r;
        this.objects = objects;
        this.out = out;
        this.indicators = new OpenSloIndicators(owner, objects);
        this.judging = new OpenSloObjectives(r);
    }

    /** One {@code openslo/v1} document of any kind. */
    void document(YamlNode doc) {
        Fields top = r.fields(doc, "the OpenSLO document", List.of("apiVersion", "kind", "metadata", "spec"));
        String kind = top.requireText("kind", "write kind: SLO");
        if (kind == null) {
            return;
        }
        switch (kind) {
            case "SLO" -> slo(top);
            case "SLI" -> {
                Fields meta = metadata(top, "my-sli");
                indicators.indicator(r, top.node(), "SLI " + meta.text("name", ""), true);
            }
            case "DataSource" -> {
                metadata(top, "my-prometheus");
                indicators.dataSource(r, top, true);
            }
            case "Service" -> {
                metadata(top, "my-service");
                r.fields(top.get("spec"), "spec", List.of("description"));
            }
            case "AlertPolicy", "AlertCondition", "AlertNotificationTarget" -> {
                metadata(top, "my-" + kind.toLowerCase(Locale.ROOT));
                freeMap(r, top.get("spec"), "spec");
                r.warning(top.get("kind"), "kind " + kind + " is ignored: slogate gates a release on SLO verdicts and sends no alerts",
                        "keep it for your alerting tool; slogate reads the SLOs of this file");
            }
            default -> r.problem(top.get("kind"), "kind is '" + kind + "', which OpenSLO v1 does not define" + FaultReader.nearest(kind, KINDS),
                    "write one of " + String.join(", ", KINDS) + " (SLOs are judged; the other kinds are read for references)");
        }
    }

    private Fields metadata(Fields top, String example) {
        Fields meta = r.fields(top.require("metadata", "write metadata: {name: " + example + "}"), "metadata", Headers.METADATA_KEYS,
                Headers.METADATA_ACCEPTED);
        meta.requireText("name", "write metadata: {name: " + example + "}");
        labels(meta);
        return meta;
    }

    /** {@code labels}: text values or lists of them (the v1 spec allows several values per key). */
    private void labels(Fields meta) {
        YamlNode labels = meta.get("labels");
        if (!(labels instanceof YamlNode.MapNode m)) {
            if (labels != null && !(labels instanceof YamlNode.Scalar s && s.isNull())) {
                r.problem(labels, "metadata.labels must be a map of name: value (or name: [values]), found " + labels.describe(),
                        "write labels: {team: checkout} or labels: {team: [checkout, payments]}");
            }
            return;
        }
        for (YamlNode.Entry e : m.entries().values()) {
            List<YamlNode> values = e.value() instanceof YamlNode.ListNode l ? l.items() : List.of(e.value());
            for (YamlNode v : values) {
                if (!(v instanceof YamlNode.Scalar)) {
                    r.problem(v, "metadata.labels." + e.key() + " must be a value or a list of values, found " + v.describe(),
                            "write " + e.key() + ": value or " + e.key() + ": [a, b]");
                }
            }
        }
    }

    // ---- SLO ----------------------------------------------------------------------------------------------------

    private void slo(Fields top) {
        int before = r.problems().count();
        Fields meta = metadata(top, "my-slo");
        String name = meta.text("name", null);
        List<SloReader.Ref> windows = owner.annotationWindows(meta);
        Fields spec = r.fields(top.require("spec", "write spec: {indicator: ..., objectives: [...]}"), "spec", SLO_SPEC, SLO_SPEC_FOREIGN);
        String description = spec.text("description", meta.text("displayName", ""));
        spec.text("service", null);
        for (String foreign : SLO_SPEC_FOREIGN) {
            if (spec.has(foreign)) {
                r.warning(spec.keyAt(foreign),
                        "spec." + foreign + " is not an OpenSLO v1 key; it is ignored", "remove it, or keep it for the tool that reads it");
            }
        }
        timeWindow(spec);
        alertPolicies(spec);
        Budgeting budgeting = judging.budgeting(spec);

        YamlNode objNode = spec.require("objectives", "write objectives: [{target: 0.99}] (ratio) or [{op: lt, value: 0.3}] (threshold)");
        List<YamlNode> objectives = objNode == null ? null : r.list(objNode, "spec.objectives");
        if (objectives != null && objectives.isEmpty()) {
            r.problem(objNode, "spec.objectives is empty", "write objectives: [{target: 0.99}] (ratio) or [{op: lt, value: 0.3}] (threshold)");
        }
        objectives = objectives == null ? List.of() : objectives;
        boolean composite = objectives.stream().anyMatch(o -> o instanceof YamlNode.MapNode m
                && (m.entries().containsKey("indicator") || m.entries().containsKey("indicatorRef")));
        Ind shared = null;
        if (composite && (spec.has("indicator") || spec.has("indicatorRef"))) {
            r.problem(spec.has("indicator") ? spec.get("indicator") : spec.get("indicatorRef"),
                    "spec has an indicator and its objectives have their own (a composite SLO)",
                    "either keep spec.indicator (or spec.indicatorRef) for every objective, or give each objective its own indicator and remove the one in spec");
        } else if (!composite) {
            shared = specIndicator(spec, "spec");
        }
        double weights = 0;
        for (YamlNode o : objectives) {
            Double w = o instanceof YamlNode.MapNode m && m.entries().containsKey("compositeWeight") ? YamlReader.finite(m.entries().get("compositeWeight").value()) : null;
            weights += w == null || w <= 0 ? 1 : w;
        }
        for (int i = 0; i < objectives.size(); i++) {
            String where = "spec.objectives[" + i + "]";
            Fields o = r.fields(objectives.get(i), where, OBJECTIVE);
            if (!o.isMap()) {
                continue;
            }
            String displayName = o.text("displayName", null);
            Ind ind = shared;
            String objDescription = description;
            if (composite) {
                if (!o.has("indicator") && !o.has("indicatorRef")) {
                    r.problem(o.node(), where + " has no indicator, but other objectives of this composite SLO have their own",
                            "give every objective of a composite SLO its own indicator or indicatorRef");
                    continue;
                }
                ind = specIndicator(o, where);
                double weight = compositeWeight(o, true);
                objDescription = (description.isBlank() ? "" : description + "; ") + "objective " + (i + 1) + " of " + objectives.size()
                        + " of composite SLO " + name + ", weight " + FaultReader.fmt(weight) + " of " + FaultReader.fmt(weights);
            } else if (o.has("compositeWeight")) {
                compositeWeight(o, false);
            }
            Objective judged = ind == null ? null : judging.objective(o, ind, budgeting);
            String objName = objectives.size() == 1 || name == null ? name
                    : name + "/" + (displayName == null || displayName.isBlank() ? String.valueOf(i) : displayName.trim().replaceAll("\\s+", "-"));
            SloDef def = r.problems().count() == before && judged != null && name != null
                    ? new SloDef(objName, objDescription, ind.indicator(), judged.op(), judged.target(), windows.stream().map(SloReader.Ref::name).toList(),
                    r.file(), objectives.get(i).line(), judged.slices())
                    : null;
            out.add(new SloReader.Loaded(r.file(), objName == null ? where : objName, def, windows, List.of(), true));
        }
    }

    private double compositeWeight(Fields o, boolean composite) {
        YamlNode w = o.get("compositeWeight");
        if (w == null) {
            return 1;
        }
        Double v = r.number(w, o.path("compositeWeight"));
        if (v != null && v <= 0) {
            r.problem(w, o.path("compositeWeight") + " is " + FaultReader.fmt(v) + ", but a weight must be above 0", "write compositeWeight: 1 (the default)");
            return 1;
        }
        r.warning(w, composite ? "compositeWeight is reported, not used to judge: each objective of a composite SLO is judged with its own indicator,"
                        + " and the SLO is met only when every objective is met"
                        : "compositeWeight is ignored: it weighs the objectives of a composite SLO, and this SLO has one indicator for all its objectives",
                composite ? "read each objective's verdict (named <slo>/<displayName>) in the report; the weights are in their descriptions"
                        : "remove it, or give each objective its own indicator to make a composite SLO");
        return v == null ? 1 : v;
    }

    /** The indicator of an SLO's spec or of a composite objective: inline or by reference. */
    private Ind specIndicator(Fields f, String where) {
        if (f.has("indicator") && f.has("indicatorRef")) {
            r.problem(f.get("indicatorRef"), where + " has both indicator and indicatorRef", "keep one: the SLI inline, or its name");
            return null;
        }
        if (f.has("indicator")) {
            return indicators.indicator(r, f.get("indicator"), f.path("indicator"), false);
        }
        if (!f.has("indicatorRef")) {
            r.problem(f.node(), where + " needs 'indicator' or 'indicatorRef'",
                    "write indicator: {metadata: {name: ...}, spec: {ratioMetric: ...}}, or indicatorRef: <name of a kind: SLI document>;"
                            + " a composite SLO gives each objective its own instead");
            return null;
        }
        String ref = r.text(f.get("indicatorRef"), f.path("indicatorRef"));
        if (ref == null) {
            return null;
        }
        OpenSloObjects.Named sli = objects.find("SLI", ref);
        if (sli == null) {
            List<String> known = objects.names("SLI");
            r.problem(f.get("indicatorRef"), "indicatorRef '" + ref + "' names no kind: SLI document in " + objects.searched(),
                    (known.isEmpty() ? "" : "SLIs found: " + String.join(", ", known) + "; ")
                            + "give the file that holds the SLI on the same command line (or in the scenario's slos:), or inline it under indicator");
            return null;
        }
        YamlReader sr = sli.file().equals(r.file()) ? r : new YamlReader(sli.file(), r.problems());
        return indicators.indicator(sr, sli.doc(), "SLI " + ref, true);
    }

    private void timeWindow(Fields spec) {
        YamlNode tw = spec.get("timeWindow");
        if (tw == null || tw instanceof YamlNode.Scalar s && s.isNull()) {
            return;
        }
        List<YamlNode> items = tw instanceof YamlNode.MapNode ? List.of(tw) : r.list(tw, "spec.timeWindow");
        String said = null;
        for (int i = 0; items != null && i < items.size(); i++) {
            Fields w = r.fields(items.get(i), "spec.timeWindow[" + i + "]", List.of("duration", "isRolling", "calendar"));
            said = w.text("duration", said);
            w.bool("isRolling", null);
            if (w.has("calendar")) {
                Fields c = r.fields(w.get("calendar"), w.path("calendar"), List.of("startTime", "timeZone"));
                c.text("startTime", null);
                c.text("timeZone", null);
            }
        }
        if (items != null) {
            r.warning(tw, "timeWindow" + (said == null ? "" : " (" + said + ")") + " is ignored: slogate judges each SLO over the windows of one run"
                    + " (the whole run unless the annotation " + SloReader.WINDOWS_ANNOTATION + " names others)",
                    "to judge during faults, add metadata.annotations: {" + SloReader.WINDOWS_ANNOTATION + ": \"steady,fault:*\"}");
        }
    }

    private void alertPolicies(Fields spec) {
        YamlNode ap = spec.get("alertPolicies");
        if (ap == null || ap instanceof YamlNode.Scalar s && s.isNull()) {
            return;
        }
        List<YamlNode> items = r.list(ap, "spec.alertPolicies");
        for (int i = 0; items != null && i < items.size(); i++) {
            String where = "spec.alertPolicies[" + i + "]";
            YamlNode item = items.get(i);
            if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                reference("AlertPolicy", item, s.text()); // a bare name, as some files write it
                continue;
            }
            Fields p = r.fields(item, where, List.of("alertPolicyRef", "kind", "metadata", "spec"));
            if (p.has("alertPolicyRef")) {
                String ref = r.text(p.get("alertPolicyRef"), p.path("alertPolicyRef"));
                if (ref != null) {
                    reference("AlertPolicy", p.get("alertPolicyRef"), ref);
                }
            } else if (p.isMap()) {
                freeMap(r, p.get("spec"), p.path("spec"));
            }
        }
        r.warning(ap, "alertPolicies are ignored: slogate gates a release on SLO verdicts and sends no alerts", "keep them for your alerting tool");
    }

    /** A reference to an object slogate does not use: a warning when nothing by that name was given. */
    private void reference(String kind, YamlNode at, String name) {
        if (objects.find(kind, name) == null) {
            r.warning(at, kind + " '" + name + "' is not in " + objects.searched() + "; the reference is not checked further",
                    "give the file that holds the kind: " + kind + " document on the same command line to check it");
        }
    }

    /** A map whose keys are free (a metric source's spec, connection details): any key is accepted. */
    static Fields freeMap(YamlReader reader, YamlNode node, String where) {
        Set<String> keys = node instanceof YamlNode.MapNode m ? m.entries().keySet() : Set.of();
        return reader.fields(node, where, List.of(), keys);
    }
}
