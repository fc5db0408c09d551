package dev.slogate.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {
    private static final long T0 = 1_700_000_000_000L;

    private static long at(double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    @Test
    void aRunWithoutFaultsIsAllSteady() {
        List<Window> w = Windows.of(at(0), at(60), List.of());
        assertEquals(List.of(new Window("run", at(0), at(60)), new Window("steady", at(0), at(60))), w);
    }

    @Test
    void faultAndRecoveryWindowsFollowTheSchedule() {
        List<Window> w = Windows.of(at(0), at(120), List.of(
                new FaultSpan("pause-a", at(60), at(65)),
                new FaultSpan("kill-one-pod", at(30), at(31.5))));
        assertEquals(List.of(
                new Window("run", at(0), at(120)),
                new Window("steady", at(0), at(30)),
                new Window("fault:kill-one-pod", at(30), at(31.5)),
                // reverted + 30 s would be 61.5 s, but pause-a is injected at 60 s
                new Window("recovery:kill-one-pod", at(31.5), at(60)),
                new Window("fault:pause-a", at(60), at(65)),
                new Window("recovery:pause-a", at(65), at(95))), w);
    }

    @Test
    void recoveryEndsAtTheRunsEndOrTheNextInjection() {
        List<Window> w = Windows.of(at(0), at(50), List.of(
                new FaultSpan("a", at(10), at(20)),
                new FaultSpan("b", at(25), at(45))));
        assertEquals(new Window("recovery:a", at(20), at(25)), find(w, "recovery:a"));
        assertEquals(new Window("recovery:b", at(45), at(50)), find(w, "recovery:b"));
    }

    @Test
    void overlappingFaultsDoNotCutEachOthersRecoveryBelowZero() {
        List<Window> w = Windows.of(at(0), at(100), List.of(
                new FaultSpan("a", at(10), at(30)),
                new FaultSpan("b", at(20), at(25))));
        // b was injected while a was active: a's recovery is only cut by injections after a's revert
        assertEquals(new Window("recovery:a", at(30), at(60)), find(w, "recovery:a"));
        assertEquals(new Window("recovery:b", at(25), at(55)), find(w, "recovery:b"));
    }

    @Test
    void aFaultStillActiveAtTheEndIsClampedToTheRun() {
        List<Window> w = Windows.of(at(0), at(40), List.of(new FaultSpan("slow", at(35), at(90))));
        assertEquals(new Window("fault:slow", at(35), at(40)), find(w, "fault:slow"));
        assertEquals(0, find(w, "recovery:slow").lengthMillis());
    }

    @Test
    void duplicateFaultNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Windows.of(at(0), at(60),
                List.of(new FaultSpan("x", at(1), at(2)), new FaultSpan("x", at(3), at(4)))));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void resolveExpandsPatternsInTimelineOrder() {
        List<Window> all = Windows.of(at(0), at(100), List.of(new FaultSpan("a", at(10), at(20)), new FaultSpan("b", at(50), at(55))));
        assertEquals(List.of("run", "fault:a", "fault:b"),
                Windows.resolve(List.of("fault:*", "run", "fault:a"), all).stream().map(Window::name).toList());
        assertEquals(List.of("steady", "recovery:a", "recovery:b"),
                Windows.resolve(List.of("recovery:*", "steady"), all).stream().map(Window::name).toList());
        assertEquals(List.of(), Windows.resolve(List.of("fault:*"), Windows.of(at(0), at(10), List.of())));
    }

    @Test
    void resolveNamesUnknownWindowsAndWhatExists() {
        List<Window> all = Windows.of(at(0), at(100), List.of(new FaultSpan("a", at(10), at(20))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Windows.resolve(List.of("run", "fault:b", "stedy"), all));
        assertTrue(e.getMessage().startsWith("unknown windows fault:b, stedy;"), e.getMessage());
        assertTrue(e.getMessage().contains("fault:a"), e.getMessage());
        assertEquals(List.of("fault:b"), Windows.unknown(List.of("fault:b", "fault:*", "run"), all));
    }

    @Test
    void faultOfNamesTheFaultOfAFaultWindow() {
        assertEquals("kill-one-pod", Windows.faultOf("fault:kill-one-pod"));
        assertNull(Windows.faultOf("recovery:kill-one-pod"));
    }

    private static Window find(List<Window> all, String name) {
        return all.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }
}
