package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.slo.SloResult;
import dev.slogate.slo.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitReportTest {
    @TempDir
    Path dir;

    @Test
    void oneCasePerResultWithFailuresAndErrorsThatNameTheNumbers() throws Exception {
        RunReport r = SampleRuns.failed();
        Element suite = writeAndParse(r);

        assertEquals("testsuite", suite.getTagName());
        assertEquals("demo-gameday", suite.getAttribute("name"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(r.results().size(), cases.getLength(), "exit 1 is explained by the failing SLOs: no extra case");
        assertEquals("6", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        assertEquals(2, suite.getElementsByTagName("failure").getLength());
        assertEquals(1, suite.getElementsByTagName("error").getLength());

        Map<String, Element> byName = new HashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            assertEquals("demo-gameday", c.getAttribute("classname"));
            byName.put(c.getAttribute("name"), c);
        }
        Element latency = byName.get("p95-latency [fault:kill-one-pod] (client)");
        Element failure = (Element) latency.getElementsByTagName("failure").item(0);
        assertEquals("p95 latency 312 ms > 200 ms in fault:kill-one-pod", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("measured: 312 ms"), failure.getTextContent());
        assertTrue(failure.getTextContent().contains("objective: p95 < 200 ms"), failure.getTextContent());
        assertEquals("3.000", latency.getAttribute("time"), "time is the window's length");

        Element noData = (Element) byName.get("server-errors [run] (prometheus)").getElementsByTagName("error").item(0);
        assertTrue(noData.getAttribute("message").contains("no data"), noData.getAttribute("message"));
        assertEquals("NO_DATA", noData.getAttribute("type"));

        Element passed = byName.get("p95-latency [steady] (client)");
        assertEquals(0, passed.getElementsByTagName("*").getLength(), "a passing case has no failure or error");

        Element markup = byName.get(SampleRuns.SCRIPT_SLO + " [run] (client)");
        assertEquals("x > y", ((Element) markup.getElementsByTagName("failure").item(0)).getAttribute("message"));
    }

    @Test
    void propertiesCarryRunIdOutcomeAndExitCode() throws Exception {
        Element suite = writeAndParse(SampleRuns.failed());
        Map<String, String> props = new HashMap<>();
        NodeList list = suite.getElementsByTagName("property");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            props.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        assertEquals("run-20231114-221320-ab12", props.get("slogate.runId"));
        assertEquals("2 of 6 SLO checks failed; 1 had no data", props.get("slogate.outcome"));
        assertEquals("1", props.get("slogate.exitCode"));
    }

    @Test
    void aStoppedRunNeverShowsGreenEvenWhenEverySloPassed() throws Exception {
        RunReport stopped = SampleRuns.withExit(SampleRuns.failed(), 3, SampleRuns.allPassing());
        Element suite = writeAndParse(stopped);
        assertEquals(stopped.results().size() + 1, suite.getElementsByTagName("testcase").getLength());
        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        assertEquals(JunitReport.RUN_CASE, ((Element) failure.getParentNode()).getAttribute("name"));
        assertTrue(failure.getAttribute("message").contains("stop condition"), failure.getAttribute("message"));

        Element passed = writeAndParse(SampleRuns.withExit(SampleRuns.failed(), 0, SampleRuns.allPassing()));
        assertEquals(0, passed.getElementsByTagName("failure").getLength());
        assertEquals(0, passed.getElementsByTagName("error").getLength());
        assertEquals(SampleRuns.allPassing().size(), passed.getElementsByTagName("testcase").getLength());
    }

    @Test
    void controlCharactersAndQuotesStayWellFormed() throws Exception {
        List<SloResult> results = new ArrayList<>(SampleRuns.results());
        results.add(new SloResult("weird \"name\"\u0007", "run", "client", "< 1", 2.0, "", Verdict.FAIL,
                "bell\u0001 & <tag> \"quoted\"\nsecond line"));
        Element suite = writeAndParse(SampleRuns.withExit(SampleRuns.failed(), 1, results));
        NodeList failures = suite.getElementsByTagName("failure");
        Element last = (Element) failures.item(failures.getLength() - 1);
        assertTrue(last.getAttribute("message").startsWith("bell\uFFFD & <tag> \"quoted\""), last.getAttribute("message"));
        assertEquals("weird \"name\"\uFFFD [run] (client)", ((Element) last.getParentNode()).getAttribute("name"));
    }

    private Element writeAndParse(RunReport r) throws Exception {
        new JunitReport().write(r, dir);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
        return doc.getDocumentElement();
    }
}
