package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard and report.html in a real browser (Debian's headless chromium, driven by its chromedriver through
 * Selenium; never anything Selenium Manager would download): one short run on the sandbox with {@code --dashboard=0}
 * (20 s of load, a pod killed at 5 s for 5 s), watched as it goes, then its report.html opened from disk.
 * A screenshot for humans: target/dashboard-it/dashboard.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path E2E = Path.of("src/test/resources/e2e").toAbsolutePath();
    private static final Path SHOTS = Path.of("target/dashboard-it").toAbsolutePath();

    @TempDir
    static Path work;
    private static ChromeDriverService service;
    private static WebDriver browser;

    @BeforeAll
    static void browser() throws Exception {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                fail(p + " is missing: the browser tests need Debian's chromium and chromium-driver; install them with"
                        + " ./slogate setup (or apt-get install -y chromium chromium-driver)");
            }
        }
        assertTrue(Files.exists(Path.of("target/slogate.jar")), "mvn package builds target/slogate.jar before the ITs");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString()); // no Selenium Manager lookup
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(work.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1200,1900", "--user-data-dir=" + work.resolve("chromium-profile"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    /** The run of the first test; the second opens its report (one sandbox run for both: the suite's time is short). */
    private static Path dir;
    private static JsonNode report;

    @Test
    @Order(1)
    void theLiveDashboardShowsTheChartsAdvanceTheFaultWindowAndTheVerdict() throws Exception {
        dir = work.resolve("run");
        Process run = EndToEndIT.cli(dir, "run", "--run-id", "dash", "--dashboard=0", E2E.resolve("dashboard.yaml").toString());
        try {
            String url = awaitUrl(dir, run);
            browser.get(url);
            org.openqa.selenium.support.ui.Wait<org.openqa.selenium.WebDriver> wait = new WebDriverWait(browser, Duration.ofSeconds(90), Duration.ofMillis(200))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the page redraws its lists each second: read again

            // the charts advance: the point count grows while the load runs
            int first = wait.until(b -> points() >= 2 ? points() : null);
            wait.until(b -> points() > first + 2);
            // the fault window appears on every chart once the pod is killed, and the fault is listed as active
            wait.until(b -> count("#chart-throughput rect.fault-window") == 1);
            assertEquals(3, count("svg.chart rect.fault-window"), "shaded on the three charts");
            // listed as active with its countdown while it lasts (5 s: polled every 200 ms)
            String active = wait.until(b -> count("#active li.active-fault .countdown") == 1 ? text("#active li.active-fault") : null);
            assertTrue(active.startsWith("kill-one") && active.contains("reverts in"), active);
            assertTrue(count("#slos tbody tr") >= 5, "every SLO x window is listed: " + text("#slos"));
            // the verdict, once the run has ended
            String verdict = wait.until(b -> count("#verdict-text") == 1 ? text("#verdict-text") : null);
            shoot("dashboard.png");
            assertTrue(EndToEndIT.ends(run, 120), "run finished:\n" + EndToEndIT.output(dir));
            report = EndToEndIT.report(dir, "dash");
            String label = text("#badge");
            assertEquals(expectedLabel(run.exitValue()), label, "the page shows the run's verdict: " + verdict);
            assertEquals(report.get("exitCode").asInt(), run.exitValue());
            assertTrue(verdict.contains(report.get("outcome").asText()), verdict);
            assertTrue(points() >= 18, "about one point per second of the 20 s run: " + points());
            assertTrue(count("#events tbody tr[data-kind=FAULT_INJECTED]") == 1
                    && count("#events tbody tr[data-kind=FAULT_REVERTED]") == 1, text("#events"));
            assertTrue(count("svg.chart path.marker[data-kind=FAULT_INJECTED]") == 3, "the injection marked on each chart");
            // the server is gone with the process: the page closed its stream at the verdict (no reconnecting) and keeps its state
            assertEquals(2L, ((Number) ((JavascriptExecutor) browser).executeScript("return window.slogateStream.readyState")).longValue(),
                    "EventSource CLOSED");
            assertEquals(label, text("#badge"), "the page keeps its final state");
            noConsoleErrors("the live dashboard");

            // the snapshot: the same page with the whole run inline, from disk
            Path snapshot = dir.resolve("reports/dash/dashboard.html");
            assertTrue(Files.exists(snapshot), "dashboard.html written next to the report");
            browser.get(snapshot.toUri().toString());
            assertEquals(label, wait.until(b -> text("#badge").isEmpty() || text("#badge").equals("LIVE") ? null : text("#badge")));
            assertTrue(points() >= 18 && count("#chart-latency rect.fault-window") == 1, "the snapshot draws the whole run");
            noConsoleErrors("dashboard.html");
        } finally {
            EndToEndIT.ends(run, 1);
            EndToEndIT.cli(dir, "sandbox", "stop").waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(2)
    void theSameBrowserRendersTheRunsReportWithItsChartsAndVerdictTable() throws Exception {
        assertTrue(report != null && Files.exists(dir.resolve("reports/dash/report.html")), "the run of the first test wrote its report");
        browser.get(dir.resolve("reports/dash/report.html").toUri().toString());
        assertEquals(3, count("svg.chart"), "the three timeline charts");
        assertTrue(count("svg.chart polyline, svg.chart path") > 0, "the charts have lines");
        assertTrue(count("svg.chart .fault-window") >= 1, "the fault window shaded");
        assertTrue(text("body").contains("SLO verdicts"), "the verdict table's heading");
        assertEquals(report.get("results").size(), verdictRows(), "one row per SLO x window");
        shoot("report.png");
        noConsoleErrors("report.html");
    }

    private static String expectedLabel(int exit) {
        return switch (exit) {
            case 0 -> "PASSED";
            case 1 -> "FAILED";
            case 3 -> "STOPPED";
            case 4 -> "INCONCLUSIVE";
            default -> "INVALID";
        };
    }

    /** The dashboard's URL, as the run prints it. */
    private static String awaitUrl(Path dir, Process run) throws Exception {
        Pattern printed = Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && run.isAlive()) {
            Matcher m = printed.matcher(EndToEndIT.output(dir));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no dashboard URL printed:\n" + EndToEndIT.output(dir));
    }

    private static int points() {
        Object n = ((JavascriptExecutor) browser).executeScript(
                "var c = document.getElementById('chart-throughput'); return c ? Number(c.getAttribute('data-points')) : 0;");
        return ((Number) n).intValue();
    }

    private static int count(String css) {
        return browser.findElements(By.cssSelector(css)).size();
    }

    private static int verdictRows() {
        Object n = ((JavascriptExecutor) browser).executeScript("var hs = Array.from(document.querySelectorAll('h2'));"
                + "var h = hs.find(function (x) { return x.textContent === 'SLO verdicts'; });"
                + "var t = h && h.parentElement.querySelector('table'); return t ? t.tBodies[0].rows.length : 0;");
        return ((Number) n).intValue();
    }

    private static String text(String css) {
        List<org.openqa.selenium.WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static void shoot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void noConsoleErrors(String page) {
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList(), "console errors on " + page);
    }
}
