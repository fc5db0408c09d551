package dev.slogate.experiment;

import dev.slogate.yaml.Durations;
import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads OpenSLO v1 documents as slogate SLOs. Liberal in what it accepts: every key the v1 specification defines is
 * accepted where the specification puts it, and what slogate cannot judge over one run (time windows, alerting, weights,
 * connection details...) is a located warning that names what is ignored. {@code metricSource.spec} is free-form: only
 * the query is read. References ({@code indicatorRef}, {@code metricSourceRef}, {@code alertPolicyRef}...) resolve in
 * the file first, then in every file given with it ({@link OpenSloObjects}).
 */
final class OpenSloReader {
    static final String V1 = "openslo/v1";
    static final String V1ALPHA = "openslo/v1alpha";
    /** The kinds of OpenSLO v1. */
    static final List<String> KINDS = List.of("SLO", "SLI", "DataSource", "Service", "AlertPolicy", "AlertCondition", "AlertNotificationTarget");
    /** The slice of a threshold objective's target or a time-sliced SLO that does not say {@code timeSliceWindow}. */
    static final Duration DEFAULT_SLICE = Duration.ofMinutes(1);
    private static final List<String> SLO_SPEC = List.of("description", "service", "indicator", "indicatorRef", "timeWindow",
            "budgetingMethod", "objectives", "alertPolicies");
    /** Not OpenSLO v1, but seen in files written for vendors' dialects; read and ignored with a warning. */
    private static final Set<String> SLO_SPEC_FOREIGN = Set.of("alerting", "dataSourceRef");
    private static final List<String> OBJECTIVE = List.of("displayName", "op", "value", "target", "targetPercent", "timeSliceTarget",
            "timeSliceWindow", "indicator", "indicatorRef", "compositeWeight");
    /** Sloth's window placeholder, read as slogate's {@code $window}. */
    private static final Pattern SLOTH_WINDOW = Pattern.compile("\\{\\{\\s*\\.window\\s*}}");

    private enum Budgeting { OCCURRENCES, TIMESLICES, RATIO_TIMESLICES }

    private final SloReader owner;
    private final YamlReader r;
    private final OpenSloObjects objects;
    private final List<SloReader.Loaded> out;

    OpenSloReader(SloReader owner, YamlReader r, OpenSloObjects objects, List<SloReader.Loaded> out) {
        this.owner = owner;
        this.r = r;
        this.objects = objects;
        this.out = out;
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
                indicator(r, top.node(), "SLI " + meta.text("name", ""), true);
            }
            case "DataSource" -> dataSource(r, top, true);
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
        Budgeting budgeting = budgeting(spec);

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
            Objective judged = ind == null ? null : objective(o, ind, budgeting);
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
            return indicator(r, f.get("indicator"), f.path("indicator"), false);
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
        return indicator(sr, sli.doc(), "SLI " + ref, true);
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

    private Budgeting budgeting(Fields spec) {
        String b = spec.text("budgetingMethod", null);
        if (b == null) {
            return Budgeting.OCCURRENCES;
        }
        return switch (b.toLowerCase(Locale.ROOT)) {
            case "occurrences" -> Budgeting.OCCURRENCES;
            case "timeslices" -> Budgeting.TIMESLICES;
            case "ratiotimeslices" -> Budgeting.RATIO_TIMESLICES;
            default -> {
                r.problem(spec.get("budgetingMethod"), "unknown budgetingMethod '" + b + "'"
                        + FaultReader.nearest(b, List.of("Occurrences", "Timeslices", "RatioTimeslices")), "write Occurrences, Timeslices or RatioTimeslices");
                yield null;
            }
        };
    }

    // ---- objectives ---------------------------------------------------------------------------------------------

    private record Objective(Op op, double target, SloDef.TimeSlices slices) {
    }

    /** How one objective is judged; null after reporting why it cannot be. */
    private Objective objective(Fields o, Ind ind, Budgeting budgeting) {
        if (budgeting == null) {
            return null;
        }
        if (ind.good() == null) {
            return thresholdObjective(o, budgeting);
        }
        Double target = target(o, true);
        for (String k : List.of("op", "value")) {
            if (o.has(k)) {
                r.warning(o.get(k), k + " on a ratioMetric objective is ignored: the share of good events must reach target",
                        "remove " + k + "; it applies to thresholdMetric objectives");
            }
        }
        boolean good = ind.good();
        if (budgeting == Budgeting.OCCURRENCES) {
            ignoredSliceKeys(o, List.of("timeSliceTarget", "timeSliceWindow"), "budgetingMethod is Occurrences");
            // OpenSLO's target is the good fraction; a bad/total ratio must stay at or under its complement.
            return target == null ? null : new Objective(good ? Op.GTE : Op.LTE, good ? target : 1 - target, null);
        }
        Duration slice = sliceWindow(o);
        if (budgeting == Budgeting.RATIO_TIMESLICES) {
            ignoredSliceKeys(o, List.of("timeSliceTarget"), "RatioTimeslices averages the slices' ratios");
            return target == null || slice == null ? null
                    : new Objective(good ? Op.GTE : Op.LTE, good ? target : 1 - target, new SloDef.TimeSlices(slice, null));
        }
        YamlNode st = o.require("timeSliceTarget", "write timeSliceTarget: 0.95 (a slice is good when at least this share of its events is good)");
        Double sliceTarget = st == null ? null : r.fraction(st, o.path("timeSliceTarget"));
        if (sliceTarget != null && sliceTarget == 0) {
            r.problem(st, o.path("timeSliceTarget") + " is 0, but it must lie above 0 and at most 1", "write timeSliceTarget: 0.95");
            return null;
        }
        return target == null || slice == null || sliceTarget == null ? null
                : new Objective(good ? Op.GTE : Op.LTE, good ? sliceTarget : 1 - sliceTarget, new SloDef.TimeSlices(slice, target));
    }

    private Objective thresholdObjective(Fields o, Budgeting budgeting) {
        String opText = o.requireText("op", "write op: lt (one of lt, lte, gt, gte)");
        Op op = null;
        try {
            op = opText == null ? null : Op.fromId(opText);
        } catch (IllegalArgumentException e) {
            r.problem(o.get("op"), "unknown op '" + opText + "'", "write op: lt, lte, gt or gte");
        }
        YamlNode v = o.require("value", "write value: the threshold the query is compared with, e.g. 0.3");
        Double value = v == null ? null : r.number(v, o.path("value"));
        ignoredSliceKeys(o, List.of("timeSliceTarget"), "a thresholdMetric slice is good when its value meets op and value");
        if (!o.has("target") && !o.has("targetPercent")) {
            if (o.has("timeSliceWindow")) {
                r.warning(o.get("timeSliceWindow"), "timeSliceWindow is ignored: without target, the query is judged once at the end of each window",
                        "add target: 0.99 to judge the share of good slices");
            }
            return op == null || value == null ? null : new Objective(op, value, null);
        }
        Double target = target(o, false);
        Duration slice = sliceWindow(o);
        if (budgeting == Budgeting.RATIO_TIMESLICES) {
            r.warning(o.node(), "RatioTimeslices averages ratios; this thresholdMetric objective is judged as Timeslices:"
                    + " the share of slices whose value meets op and value", "write budgetingMethod: Timeslices");
        }
        return op == null || value == null || target == null || slice == null ? null : new Objective(op, value, new SloDef.TimeSlices(slice, target));
    }

    private void ignoredSliceKeys(Fields o, List<String> keys, String why) {
        for (String k : keys) {
            if (o.has(k)) {
                r.warning(o.get(k), k + " is ignored: " + why, "remove " + k + ", or set the budgetingMethod that uses it");
            }
        }
    }

    /** {@code target} (a fraction) or {@code targetPercent}; null after reporting. */
    private Double target(Fields o, boolean required) {
        if (o.has("target") && o.has("targetPercent")) {
            r.problem(o.get("targetPercent"), o.where() + " has both target and targetPercent", "keep one: target: 0.999 is targetPercent: 99.9");
            return null;
        }
        if (o.has("targetPercent")) {
            Double pct = r.number(o.get("targetPercent"), o.path("targetPercent"));
            if (pct != null && (pct <= 0 || pct > 100)) {
                r.problem(o.get("targetPercent"), o.path("targetPercent") + " is " + FaultReader.fmt(pct) + ", but must lie above 0 and at most 100",
                        "write targetPercent: 99.9");
                return null;
            }
            return pct == null ? null : pct / 100;
        }
        YamlNode t = required ? o.require("target", "write target: 0.99 (the fraction of good events)") : o.get("target");
        if (t == null) {
            return null;
        }
        Double v = r.fraction(t, o.path("target"));
        if (v != null && v == 0) {
            r.problem(t, o.path("target") + " is 0, but it must lie above 0 and at most 1", "write target: 0.99");
            return null;
        }
        return v;
    }

    private static final Pattern SHORTHAND = Pattern.compile("([0-9]+)([smhdwMQY])");

    /** {@code timeSliceWindow}: a duration shorthand ({@code 1m}, {@code 5m}, {@code 1h}) or a number of minutes; 1m when absent. */
    private Duration sliceWindow(Fields o) {
        YamlNode w = o.get("timeSliceWindow");
        if (w == null) {
            r.warning(o.node(), o.where() + " has no timeSliceWindow: it is judged in slices of " + Durations.format(DEFAULT_SLICE),
                    "write timeSliceWindow: 1m (or the slice length your SLO tool uses)");
            return DEFAULT_SLICE;
        }
        Double minutes = YamlReader.finite(w);
        Duration d = null;
        if (minutes != null) {
            d = minutes > 0 && minutes <= Durations.MAX.toMinutes() ? Duration.ofMillis(Math.round(minutes * 60_000)) : null;
        } else if (w instanceof YamlNode.Scalar s && s.text() != null) {
            Matcher m = SHORTHAND.matcher(s.text().trim());
            if (m.matches() && m.group(1).length() < 7) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    case "w" -> Duration.ofDays(7 * n);
                    case "M" -> Duration.ofDays(30 * n);
                    case "Q" -> Duration.ofDays(91 * n);
                    default -> Duration.ofDays(365 * n);
                };
                d = d.isZero() ? null : d;
            }
        }
        if (d == null) {
            r.problem(w, o.path("timeSliceWindow") + " must be a duration such as 1m, 5m or 1h (or a number of minutes), found " + w.describe(),
                    "write timeSliceWindow: 1m");
        } else if (d.compareTo(Durations.MAX) > 0) {
            r.warning(w, "timeSliceWindow is longer than any run (" + Durations.format(Durations.MAX) + "): each window is judged as one slice",
                    "write a slice shorter than the windows you judge, e.g. 1m");
        }
        return d;
    }

    // ---- SLI ----------------------------------------------------------------------------------------------------

    /**
     * A read indicator. {@code good}: true for good/total and raw success ratios, false for bad/total and raw failure
     * ratios, null for a threshold metric.
     */
    private record Ind(SloDef.Indicator indicator, Boolean good) {
    }

    /** A query and where it was written. */
    private record Query(String text, YamlNode at) {
    }

    /** The SLI: an inline {@code indicator: {metadata, spec}} or a referenced {@code kind: SLI} document, read with its own file's reader. */
    private Ind indicator(YamlReader ir, YamlNode node, String where, boolean document) {
        Fields outer = document ? ir.fields(node, where, List.of("apiVersion", "kind", "metadata", "spec"))
                : ir.fields(node, where, List.of("metadata", "spec"));
        if (!document && outer.has("metadata")) {
            ir.fields(outer.get("metadata"), outer.path("metadata"), Headers.METADATA_KEYS, Headers.METADATA_ACCEPTED);
        }
        Fields spec = ir.fields(outer.require("spec", "write " + where + ".spec with ratioMetric or thresholdMetric"), where + ".spec",
                List.of("description", "ratioMetric", "thresholdMetric"));
        if (spec.has("ratioMetric") && spec.has("thresholdMetric")) {
            ir.problem(spec.get("thresholdMetric"), spec.where() + " has both ratioMetric and thresholdMetric", "keep one; an SLI measures one thing");
            return null;
        }
        if (spec.has("thresholdMetric")) {
            Query q = metricQuery(ir, spec.get("thresholdMetric"), spec.path("thresholdMetric"));
            if (q != null) {
                owner.promql(ir, q.at(), q.text().replace("$window", "1m"));
            }
            return q == null ? null : new Ind(new SloDef.Threshold(q.text()), null);
        }
        if (!spec.has("ratioMetric")) {
            spec.require("ratioMetric", "write ratioMetric (good or bad, and total) or thresholdMetric (one query)");
            return null;
        }
        Fields ratio = ir.fields(spec.get("ratioMetric"), spec.path("ratioMetric"), List.of("counter", "good", "bad", "total", "raw", "rawType"));
        if (ratio.has("raw")) {
            return raw(ir, ratio);
        }
        if (ratio.has("rawType")) {
            ir.warning(ratio.get("rawType"), "rawType is ignored: it applies to a raw ratio, and this one has good or bad and total", "remove rawType");
        }
        Boolean counter = ratio.bool("counter", null);
        Query good = ratio.has("good") ? metricQuery(ir, ratio.get("good"), ratio.path("good")) : null;
        Query bad = ratio.has("bad") ? metricQuery(ir, ratio.get("bad"), ratio.path("bad")) : null;
        YamlNode totalNode = ratio.require("total", "write total: {metricSource: {type: Prometheus, spec: {query: ...}}}");
        Query total = totalNode == null ? null : metricQuery(ir, totalNode, ratio.path("total"));
        if (!ratio.has("good") && !ratio.has("bad")) {
            ir.problem(ratio.node(), ratio.where() + " needs good or bad (and total)", "write good: {metricSource: {type: Prometheus, spec: {query: ...}}}");
            return null;
        } else if (ratio.has("good") && ratio.has("bad")) {
            ir.problem(ratio.get("bad"), ratio.where() + " has both good and bad", "keep one: the ratio is good/total or bad/total");
            return null;
        }
        if (good == null && bad == null || total == null) {
            return null;
        }
        // Without counter, a query that already takes a range (rate(x[5m]), $window) is read as is; a bare selector is a counter.
        Query part = good == null ? bad : good;
        boolean isCounter = counter != null ? counter : !takesRange(part.text()) && !takesRange(total.text());
        for (Query q : List.of(part, total)) {
            owner.promql(ir, q.at(), isCounter ? SloReader.counterIncrease(q.text()) : q.text().replace("$window", "1m"));
        }
        return new Ind(new SloDef.Ratio(SloDef.Source.PROMETHEUS, good == null ? null : good.text(), good == null ? bad.text() : null, total.text(),
                isCounter), good != null);
    }

    private static boolean takesRange(String query) {
        return query.contains("$window") || query.matches("(?s).*\\[[^\\]]*[0-9smhdwy]\\s*(:[^\\]]*)?].*");
    }

    /** A precomputed ratio: its average over the window (or slice) is compared with the target. */
    private Ind raw(YamlReader ir, Fields ratio) {
        for (String k : List.of("good", "bad", "total")) {
            if (ratio.has(k)) {
                ir.problem(ratio.get(k), ratio.where() + " has both raw and " + k, "keep raw (with rawType) or good/bad and total, not both");
                return null;
            }
        }
        if (ratio.has("counter")) {
            ir.warning(ratio.get("counter"), "counter is ignored with raw: a raw ratio is read as the ratio it is", "remove counter");
        }
        String type = ratio.requireText("rawType", "write rawType: success (the raw ratio is good/total) or failure (bad/total)");
        Boolean good = type == null ? null : switch (type.toLowerCase(Locale.ROOT)) {
            case "success" -> Boolean.TRUE;
            case "failure" -> Boolean.FALSE;
            default -> {
                ir.problem(ratio.get("rawType"), "unknown rawType '" + type + "'", "write rawType: success or rawType: failure");
                yield null;
            }
        };
        Query q = metricQuery(ir, ratio.get("raw"), ratio.path("raw"));
        if (q == null || good == null) {
            return null;
        }
        String averaged = "avg_over_time((" + q.text().strip() + ")[$window:1s])";
        owner.promql(ir, q.at(), averaged.replace("$window", "1m"));
        return new Ind(new SloDef.Threshold(averaged), good);
    }

    /**
     * The PromQL of {@code {metricSource: {type: Prometheus, spec: {query}}}} ({@code promql} is read like {@code query};
     * the other keys of the free-form {@code spec} are not read). Sloth's {@code {{.window}}} is read as {@code $window}.
     */
    private Query metricQuery(YamlReader ir, YamlNode node, String where) {
        Fields m = ir.fields(node, where, List.of("metricSource"));
        Fields src = ir.fields(m.require("metricSource", "write metricSource: {type: Prometheus, spec: {query: ...}}"), where + ".metricSource",
                List.of("metricSourceRef", "type", "spec"));
        if (!src.isMap()) {
            return null;
        }
        String type = src.text("type", null);
        String ref = src.text("metricSourceRef", null);
        if (ref != null) {
            OpenSloObjects.Named ds = objects.find("DataSource", ref);
            if (ds == null && type == null) {
                ir.problem(src.get("metricSourceRef"), "metricSourceRef '" + ref + "' names no kind: DataSource document in " + objects.searched(),
                        "give the file that holds the DataSource on the same command line (or in the scenario's slos:), or write type: Prometheus here");
                return null;
            } else if (ds == null) {
                ir.warning(src.get("metricSourceRef"), "metricSourceRef '" + ref + "' names no kind: DataSource document in " + objects.searched()
                        + "; read as type " + type, "give the file that holds the DataSource on the same command line to check it");
            } else {
                YamlReader dr = ds.file().equals(ir.file()) ? ir : new YamlReader(ds.file(), ir.problems());
                String dsType = dataSource(dr, dr.fields(ds.doc(), "DataSource " + ref, List.of("apiVersion", "kind", "metadata", "spec")), false);
                if (type == null) {
                    type = dsType;
                } else if (dsType != null && !dsType.equalsIgnoreCase(type)) {
                    ir.problem(src.get("type"), "type is '" + type + "', but DataSource " + ref + " is of type '" + dsType + "'",
                            "make them agree, or remove type here (it comes from the DataSource)");
                    return null;
                }
            }
        }
        if (type == null) {
            ir.warning(src.node(), where + ".metricSource has no type: it is read as Prometheus", "write type: Prometheus");
        } else if (!type.equalsIgnoreCase("prometheus")) {
            ir.problem(src.has("type") ? src.get("type") : src.get("metricSourceRef"),
                    "metricSource type '" + type + "'" + (src.has("type") ? "" : " (of DataSource " + ref + ")") + " is not supported; slogate reads Prometheus only",
                    "write type: Prometheus with spec: {query: <PromQL>}, or keep this SLO out of slogate's files");
            return null;
        }
        YamlNode specNode = src.require("spec", "write spec: {query: <PromQL>}");
        Fields spec = freeMap(ir, specNode, where + ".metricSource.spec");
        if (!spec.isMap() || specNode == null) {
            return null;
        }
        String q = spec.text("query", null);
        if (spec.has("query") && spec.has("promql")) {
            ir.warning(spec.get("promql"), "promql is ignored: query is read, and this spec has both", "keep one of query and promql");
        } else if (q == null) {
            q = spec.text("promql", null);
        }
        List<String> others = ((YamlNode.MapNode) specNode).entries().keySet().stream().filter(k -> !k.equals("query") && !k.equals("promql")).toList();
        if (!others.isEmpty()) {
            ir.warning(spec.keyAt(others.get(0)), where + ".metricSource.spec: " + String.join(", ", others) + (others.size() == 1 ? " is" : " are")
                    + " not read: slogate runs the query against the scenario's Prometheus", "nothing to do; keep them for your other tools");
        }
        if (q == null) {
            if (!spec.has("query") && !spec.has("promql")) {
                spec.require("query", "write query: <PromQL> (or promql: <PromQL>)");
            }
            return null;
        }
        if (q.isBlank()) {
            ir.problem(spec.has("query") ? spec.get("query") : spec.get("promql"), where + ".metricSource.spec.query is empty", "write the PromQL");
            return null;
        }
        return new Query(SLOTH_WINDOW.matcher(q).replaceAll(Matcher.quoteReplacement("$window")), spec.has("query") ? spec.get("query") : spec.get("promql"));
    }

    /** A DataSource document: its type (null when it has none); {@code own}: read in its own file, so its warnings are said there. */
    private String dataSource(YamlReader dr, Fields top, boolean own) {
        if (own) {
            metadata(top, "my-prometheus");
        }
        Fields spec = dr.fields(top.get("spec"), "spec", List.of("description", "type", "connectionDetails"));
        String type = spec.text("type", null);
        if (own && spec.has("connectionDetails")) {
            freeMap(dr, spec.get("connectionDetails"), spec.path("connectionDetails"));
            dr.warning(spec.keyAt("connectionDetails"), "connectionDetails are ignored: slogate queries the scenario's Prometheus"
                    + " (target.prometheus, or the sandbox's)", "set the Prometheus URL in the scenario's target");
        }
        return type;
    }

    /** A map whose keys are free (a metric source's spec, connection details): any key is accepted. */
    private static Fields freeMap(YamlReader reader, YamlNode node, String where) {
        Set<String> keys = node instanceof YamlNode.MapNode m ? m.entries().keySet() : Set.of();
        return reader.fields(node, where, List.of(), keys);
    }

}
