package dev.slogate.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slogate.slo.SloStatus;
import dev.slogate.timeline.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardStateTest {
    private final DashboardState state = new DashboardState("r1");

    private static JsonNode json(DashboardState.Message m) throws Exception {
        return DashboardState.JSON.readTree(m.json());
    }

    @Test
    void theStartCarriesTheRunAndItsFaultSchedule() throws Exception {
        DashboardState.Message m = state.started("r1", RunFixture.scenario(), RunFixture.START);
        assertEquals("state", m.type());
        JsonNode s = json(m);
        assertEquals("e2e-pod-kill", s.get("scenario").asText());
        assertTrue(s.get("started").asBoolean());
        assertEquals(26, s.get("durationSeconds").asLong());
        JsonNode fault = s.get("faults").get(0);
        assertEquals("kill-one", fault.get("name").asText());
        assertEquals("pod-kill", fault.get("type").asText());
        assertEquals(8_000, fault.get("plannedAt").asLong());
        assertEquals(20_000, fault.get("plannedEnd").asLong());
        assertTrue(fault.get("injectedAt").isNull());
    }

    @Test
    void aSecondIsDrawnLiveThenReplacedByItsFinalFigures() throws Exception {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        JsonNode live = json(state.live(RunFixture.live(3))).get("point");
        assertEquals(3_500, live.get("t").asLong(), "a second sits at its middle, in ms since the start");
        assertFalse(live.get("final").asBoolean());
        JsonNode fin = json(state.second(RunFixture.second(3, 10))).get("point");
        assertTrue(fin.get("final").asBoolean());
        assertEquals(90, fin.get("ok").asLong());
        assertEquals(10, fin.get("failed").asLong());
        assertEquals(10.0, fin.get("err").asDouble(), 1e-9);
        assertEquals(10.0, fin.get("p50").asDouble(), 0.1);
        assertEquals(900.0, fin.get("p99").asDouble(), 2.0); // HdrHistogram: 3 significant digits
        assertNull(state.live(RunFixture.live(3)), "a late live figure never overwrites a final second");
        JsonNode points = json(state.snapshot()).get("points");
        assertEquals(1, points.size());
        assertTrue(points.get(0).get("final").asBoolean());
    }

    @Test
    void aSecondWithoutAnswersIsAGapNotAZero() throws Exception {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        dev.slogate.load.ClientSecond empty = new dev.slogate.load.ClientSecond(RunFixture.START / 1000 + 1, 100, 100, java.util.Map.of());
        JsonNode p = json(state.second(empty)).get("point");
        assertTrue(p.get("p99").isNull());
        assertTrue(p.get("err").isNull());
    }

    @Test
    void faultWindowsOpenAndCloseWithTheirEvents() throws Exception {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        JsonNode in = json(state.event(RunFixture.injected()));
        assertEquals("FAULT_INJECTED", in.get("event").get("kind").asText());
        assertEquals(8_000, in.get("event").get("at").asLong());
        assertEquals(8_000, in.get("faults").get(0).get("injectedAt").asLong());
        assertTrue(in.get("faults").get(0).get("revertedAt").isNull(), "active: the window is open");
        JsonNode out = json(state.event(RunFixture.reverted()));
        assertEquals(20_000, out.get("faults").get(0).get("revertedAt").asLong());
        assertEquals(2, json(state.snapshot()).get("events").size());
    }

    @Test
    void sloStatusesAreSentOnlyWhenTheyChange() throws Exception {
        List<SloStatus> a = List.of(new SloStatus("p99", "run", SloStatus.State.MET_SO_FAR, "p99 12 ms (< 1 s)"));
        JsonNode first = json(state.slos(a));
        assertEquals("MET_SO_FAR", first.get("slos").get(0).get("state").asText());
        assertNull(state.slos(List.copyOf(a)), "nothing new: no message");
        assertNotNull(state.slos(List.of(new SloStatus("p99", "run", SloStatus.State.AT_RISK, "p99 1.2 s (< 1 s)"))));
    }

    @Test
    void theVerdictEndsTheStateAndSaysWhereTheReportIs() throws Exception {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        DashboardState.Message m = state.finished(RunFixture.report("r1"), "/tmp/r/report.html", "/tmp/r/dashboard.html");
        assertEquals("end", m.type());
        JsonNode end = json(m).get("end");
        assertEquals(0, end.get("exitCode").asInt());
        assertEquals("PASSED", end.get("label").asText());
        assertEquals("/tmp/r/report.html", end.get("report").asText());
        assertEquals("PASS", end.get("verdicts").get(0).get("verdict").asText());
        assertTrue(state.ended());
        assertEquals("PASSED", json(state.snapshot()).get("end").get("label").asText());
    }

    @Test
    void aFrameIsOneSseEventWhoseDataCannotBreakOutOfItsLineOrAScript() throws Exception {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        DashboardState.Message m = state.event(new Event(RunFixture.START + 1_000, Event.Kind.NOTE, "x",
                "line one\nline two </script><script>alert(1)</script>"));
        String frame = m.frame();
        assertTrue(frame.startsWith("event: event\ndata: {"), frame);
        assertTrue(frame.endsWith("}\n\n"), frame);
        assertEquals(3, frame.split("\n", -1).length - 1, "two header lines and the blank line: " + frame);
        assertFalse(m.json().contains("<"), m.json());
        assertEquals("line one\nline two </script><script>alert(1)</script>", json(m).get("event").get("detail").asText());
    }

    @Test
    void secretsInEventsAreRedactedLikeInEveryOtherOutput() {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        DashboardState.Message m = state.event(new Event(RunFixture.START + 1_000, Event.Kind.NOTE, "target",
                "against http://admin:S3cretPass@db.internal:5432/app"));
        assertFalse(m.json().contains("S3cretPass"), m.json());
        assertFalse(state.snapshot().json().contains("S3cretPass"));
    }


    @Test
    void theSnapshotPageCarriesTheStateInlineAndLoadsNothingFromElsewhere() {
        state.started("r1", RunFixture.scenario(), RunFixture.START);
        state.event(new Event(RunFixture.START, Event.Kind.NOTE, "x", "</script>"));
        String page = DashboardPage.snapshot(state.snapshot().json());
        assertTrue(page.contains("\"scenario\":\"e2e-pod-kill\""), "the state is inlined");
        assertFalse(page.contains("/*DATA*/"), "the placeholder is replaced");
        assertFalse(page.contains("/*CSS*/") || page.contains("/*JS*/"));
        assertEquals(1, page.split("</script>", -1).length - 1, "only the page's own script element ends");
        String live = DashboardPage.live();
        assertTrue(live.contains("/*DATA*/null"), "the live page reads the stream");
        for (String p : List.of(page, live)) {
            assertFalse(p.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no CDN, no remote resource");
            assertFalse(p.contains("stylesheet"), "no stylesheet from elsewhere");
            assertTrue(p.contains("<link rel=\"icon\" href=\"data:,\">"), "no favicon request (a 404 in the console)");
        }
    }
}
