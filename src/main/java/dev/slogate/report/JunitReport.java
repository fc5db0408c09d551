package dev.slogate.report;

import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import dev.slogate.timeline.Window;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code junit.xml}: one test suite named after the scenario, one test case per SLO × window × source, so any CI shows
 * the gate like a test run. FAIL becomes {@code <failure>}, NO_DATA becomes {@code <error>} (inconclusive is not a
 * pass). When the exit code is not explained by the SLO cases (a stop condition, say), one extra case
 * {@value #RUN_CASE} carries it, so a gate that did not pass never shows green. A run that never started (exit 2)
 * has one {@code <error>} case per problem that stopped it ({@code problem 1}, {@code problem 2}, ...).
 */
public final class JunitReport implements ReportWriter {
    public static final String FILE_NAME = "junit.xml";
    public static final String RUN_CASE = "run outcome";

    @Override
    public String fileName() {
        return FILE_NAME;
    }

    /** The test case name of one result: {@code p95-latency [fault:kill-one-pod] (client)}. */
    public static String caseName(SloResult r) {
        return r.slo() + " [" + r.window() + "] (" + r.source() + ")";
    }

    @Override
    public void write(RunReport r, Path dir) throws IOException {
        try (Writer out = Files.newBufferedWriter(dir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            writeSuite(r, x);
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + FILE_NAME + " for run " + r.runId() + ": " + e.getMessage(), e);
        }
    }

    private static void writeSuite(RunReport r, XMLStreamWriter x) throws XMLStreamException {
        long failures = r.results().stream().filter(res -> res.verdict() == Verdict.FAIL).count();
        long errors = r.results().stream().filter(res -> res.verdict() == Verdict.NO_DATA).count();
        RunCase runCase = r.problems().isEmpty() ? runCase(r, failures, errors) : null;
        errors += r.problems().size();
        if (runCase != null) {
            if (runCase.error()) {
                errors++;
            } else {
                failures++;
            }
        }
        x.writeStartDocument("UTF-8", "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuite");
        attr(x, "name", r.scenario());
        attr(x, "tests", String.valueOf(r.results().size() + r.problems().size() + (runCase == null ? 0 : 1)));
        attr(x, "failures", String.valueOf(failures));
        attr(x, "errors", String.valueOf(errors));
        attr(x, "skipped", "0");
        attr(x, "time", seconds(r.endMillis() - r.startMillis()));
        attr(x, "timestamp", Instant.ofEpochMilli(r.startMillis()).toString());

        indent(x, 1);
        x.writeStartElement("properties");
        property(x, "slogate.runId", r.runId());
        property(x, "slogate.scenario", r.scenario());
        property(x, "slogate.target", r.target());
        property(x, "slogate.outcome", r.outcome());
        property(x, "slogate.exitCode", String.valueOf(r.exitCode()));
        property(x, "slogate.schemaVersion", String.valueOf(r.schemaVersion()));
        indent(x, 1);
        x.writeEndElement();

        for (SloResult res : r.results()) {
            indent(x, 1);
            x.writeStartElement("testcase");
            attr(x, "name", caseName(res));
            attr(x, "classname", r.scenario());
            attr(x, "time", seconds(windowLength(r, res.window())));
            if (res.verdict() != Verdict.PASS) {
                boolean fail = res.verdict() == Verdict.FAIL;
                indent(x, 2);
                x.writeStartElement(fail ? "failure" : "error");
                attr(x, "message", Format.sentence(res));
                attr(x, "type", fail ? "SLO_FAILED" : "NO_DATA");
                text(x, details(res));
                x.writeEndElement();
                indent(x, 1);
            }
            x.writeEndElement();
        }
        for (int i = 0; i < r.problems().size(); i++) {
            String problem = r.problems().get(i);
            indent(x, 1);
            x.writeStartElement("testcase");
            attr(x, "name", "problem " + (i + 1));
            attr(x, "classname", r.scenario());
            attr(x, "time", seconds(0));
            indent(x, 2);
            x.writeStartElement("error");
            attr(x, "message", problem.lines().findFirst().orElse(problem));
            attr(x, "type", "NOT_RUN");
            text(x, problem);
            x.writeEndElement();
            indent(x, 1);
            x.writeEndElement();
        }
        if (runCase != null) {
            indent(x, 1);
            x.writeStartElement("testcase");
            attr(x, "name", RUN_CASE);
            attr(x, "classname", r.scenario());
            attr(x, "time", seconds(r.endMillis() - r.startMillis()));
            indent(x, 2);
            x.writeStartElement(runCase.error() ? "error" : "failure");
            attr(x, "message", runCase.message());
            attr(x, "type", "EXIT_" + r.exitCode());
            text(x, "exit code " + r.exitCode() + ": " + Format.exitMeaning(r.exitCode()));
            x.writeEndElement();
            indent(x, 1);
            x.writeEndElement();
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
    }

    private record RunCase(boolean error, String message) {
    }

    /** The exit code needs its own case when no SLO case already shows why the gate did not pass. */
    private static RunCase runCase(RunReport r, long failures, long errors) {
        String message = Format.exitMeaning(r.exitCode()) + (r.outcome() == null ? "" : ": " + r.outcome());
        return switch (r.exitCode()) {
            case 0 -> null;
            case 1 -> failures > 0 ? null : new RunCase(false, message);
            case 4 -> errors > 0 ? null : new RunCase(true, message);
            case 3 -> new RunCase(false, message);
            default -> new RunCase(true, message);
        };
    }

    private static String details(SloResult r) {
        return "measured: " + Format.measured(r) + "\nobjective: " + r.objective() + "\nwindow: " + r.window()
                + "\nsource: " + r.source() + "\nverdict: " + r.verdict();
    }

    private static long windowLength(RunReport r, String name) {
        return r.windows().stream().filter(w -> w.name().equals(name)).mapToLong(Window::lengthMillis).findFirst()
                .orElse(0);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        indent(x, 2);
        x.writeEmptyElement("property");
        attr(x, "name", name);
        attr(x, "value", value);
    }

    private static void indent(XMLStreamWriter x, int depth) throws XMLStreamException {
        x.writeCharacters("\n" + "  ".repeat(depth));
    }

    private static void attr(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeAttribute(name, xmlSafe(value));
    }

    private static void text(XMLStreamWriter x, String value) throws XMLStreamException {
        x.writeCharacters(xmlSafe(value));
    }

    /** The stream writer escapes markup but not characters XML forbids outright (most control characters). */
    static String xmlSafe(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            b.appendCodePoint(allowed ? c : 0xFFFD);
        });
        return b.toString();
    }
}
