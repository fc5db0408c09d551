package dev.slogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slogate.cli.InProcessCli.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code slogate validate} says about bad input of every kind, as a user sees it: exit 2, the file, line and
 * column of the problem, what is wrong and a hint; or, for the inputs that only look odd (BOM, CRLF, anchors, JSON,
 * lists of documents), exit 0. Nothing here may hang, crash, or echo the content of a file that is not a slogate one.
 */
class ValidateBadInputTest {
    private static final String FAULT_HEAD = "apiVersion: slogate/v1\nkind: Fault\nmetadata: {name: f}\nspec:\n";
    private static final String FAULT = FAULT_HEAD + "  type: pod-kill\n  selector: {labels: {app: demo}, mode: one}\n  duration: 10s\n";
    private static final String SLO_HEAD = "apiVersion: slogate/v1\nkind: Objectives\nmetadata: {name: o}\nspec:\n  objectives:\n";
    private static final String SLO = SLO_HEAD + "    - {name: p95, latency: {percentile: 95, below: 200ms}}\n";
    /** A valid scenario; tests replace one of its lines. Line 6: sandbox, line 8: stages, line 9: requests. */
    private static final String SCENARIO = """
            apiVersion: slogate/v1
            kind: Scenario
            metadata: {name: t}
            spec:
              target:
                sandbox: {regions: 2, nodesPerRegion: 2, podsPerNode: 2}
              load:
                stages: [{hold: {rps: 10, duration: 60s}}]
                requests: [{path: /}]
            """;

    @TempDir
    static Path dir;

    /**
     * One input: the file to validate (written by {@code setup}), the exit code, and for a bad one the message part,
     * line and column of its problem. {@code secret} must never appear in the output.
     */
    record Case(String name, Setup setup, int code, String message, int line, int column, String secret) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Setup {
        Path create(Path dir) throws Exception;
    }

    private static Case bad(String name, String fileName, String content, String message, int line, int column) {
        return new Case(name, d -> write(d, fileName, content), 2, message, line, column, null);
    }

    private static Case bad(String name, Setup setup, String message, int line, int column) {
        return new Case(name, setup, 2, message, line, column, null);
    }

    private static Case valid(String name, String fileName, byte[] content) {
        return new Case(name, d -> write(d, fileName, content), 0, null, 0, 0, null);
    }

    private static Case valid(String name, String fileName, String content) {
        return valid(name, fileName, content.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path d, String name, String content) throws IOException {
        return write(d, name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path d, String name, byte[] content) throws IOException {
        Path p = d.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private static String scenario(int line, String replacement) {
        List<String> lines = new java.util.ArrayList<>(SCENARIO.lines().toList());
        lines.set(line - 1, replacement);
        return String.join("\n", lines) + "\n";
    }

    private static Path fifo(Path d, String name) throws Exception {
        Path p = d.resolve(name);
        Files.createDirectories(p.getParent());
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assumeTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is available");
        return p;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String laughs() {
        StringBuilder b = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            String prev = "*" + (char) (c - 1);
            b.append(c).append(": &").append(c).append(" [").append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        return b.toString();
    }

    static Stream<Case> cases() {
        return Stream.of(
                // ---- YAML syntax and structure
                bad("tab indentation", "tab.yaml", FAULT_HEAD + "\ttype: pod-kill\n", "YAML syntax error", 5, 1),
                bad("duplicate key", "dup.yaml", FAULT + "  type: pod-failure\n", "key 'type' appears twice (first on line 5)", 8, 3),
                bad("duplicate key in a flow map", "dupflow.yaml", FAULT_HEAD + "  type: pod-kill\n  selector: {labels: {app: demo, app: x}, mode: one}\n  duration: 10s\n",
                        "key 'app' appears twice", 6, 34),
                bad("unclosed flow list", "flow.yaml", FAULT_HEAD + "  type: pod-kill\n  selector: {labels: [a, b}\n", "YAML syntax error", 6, 27),
                bad("a map as a key", "mapkey.yaml", FAULT + "  ? {a: 1}\n  : x\n", "a key must be a single value", 8, 5),
                bad("wrong type: text for a whole number", "s-type.yaml", scenario(6, "    sandbox: {regions: two}"),
                        "spec.target.sandbox.regions must be a whole number, found the text 'two'", 6, 24),
                bad("wrong type: map for a list", "s-list.yaml", scenario(8, "    stages: {hold: {rps: 10, duration: 60s}}"),
                        "spec.load.stages must be a list", 8, 13),
                bad("wrong type: list for text", "s-text.yaml", scenario(9, "    requests: [{path: [a]}]"),
                        "spec.load.requests[0].path must be text, found a list", 9, 23),
                // ---- unknown keys at each level
                bad("unknown top-level key", "u1.yaml", SCENARIO + "specs: {}\n", "unknown key 'specs' in the scenario", 10, 1),
                bad("unknown key in metadata", "u2.yaml", scenario(3, "metadata: {name: t, nmae: u}"), "unknown key 'nmae' in metadata", 3, 21),
                bad("unknown key in spec", "u3.yaml", SCENARIO + "  fault: []\n", "unknown key 'fault' in spec", 10, 3),
                bad("unknown key in the sandbox", "u4.yaml", scenario(6, "    sandbox: {regions: 2, pods: 3}"), "unknown key 'pods' in spec.target.sandbox", 6, 27),
                bad("unknown key in a stage", "u5.yaml", scenario(8, "    stages: [{hold: {rps: 10, duration: 60s, rampUp: 1s}}]"),
                        "unknown key 'rampUp' in spec.load.stages[0].hold", 8, 46),
                bad("unknown key in a request", "u6.yaml", scenario(9, "    requests: [{path: /, header: {a: b}}]"),
                        "unknown key 'header' in spec.load.requests[0]", 9, 26),
                bad("unknown key in a fault", "u7.yaml", FAULT + "  durration: 5s\n", "unknown key 'durration' in spec", 8, 3),
                bad("unknown key in an objective", "u8.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: 95, below: 1s, abov: 2s}}\n",
                        "unknown key 'abov' in spec.objectives[0].latency", 6, 54),
                // ---- files that are not slogate files
                bad("missing file", d -> d.resolve("nope/missing.yaml"), "no such slogate file", 1, 1),
                bad("missing referenced file", "refmiss.yaml", SCENARIO + "  slos: [nothere.yaml]\n", "no such SLO file", 10, 10),
                bad("a NUL in a referenced path", "refnul.yaml", SCENARIO + "  slos: [\"a\\0b.yaml\"]\n", "is not a file path", 10, 10),
                bad("a directory as a referenced file", d -> {
                    Files.createDirectories(d.resolve("adir"));
                    return write(d, "refdir.yaml", SCENARIO + "  slos: [adir]\n");
                }, "is a directory, not an SLO file", 10, 10),
                bad("a FIFO", d -> fifo(d, "pipe.yaml"), "is a FIFO (named pipe)", 1, 1),
                bad("a FIFO as a referenced file", d -> {
                    fifo(d, "refpipe-target.yaml");
                    return write(d, "refpipe.yaml", SCENARIO + "  slos: [refpipe-target.yaml]\n");
                }, "is a FIFO (named pipe), not an SLO file", 10, 10),
                bad("/dev/zero", d -> Path.of("/dev/zero"), "is a character device", 1, 1),
                bad("binary data", d -> write(d, "bin.yaml", concat("apiVersion: slogate/v1\nkind: ".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1})), "not YAML: binary data", 2, 11),
                bad("not UTF-8", d -> write(d, "latin1.yaml", concat("apiVersion: slogate/v1\nkind: Fault\nmetadata: {name: caf".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xe9, '}', '\n'})), "not UTF-8 text", 3, 21),
                bad("UTF-16", d -> write(d, "utf16.yaml", ("\uFEFF" + FAULT).getBytes(StandardCharsets.UTF_16BE)), "UTF-16", 1, 1),
                bad("a control character", "ctl.yaml", FAULT_HEAD + "  type: pod\u0007kill\n", "control character U+0007", 5, 12),
                bad("larger than 1 MiB", "huge.yaml", "a: " + "x".repeat(5 * 1024 * 1024) + "\n", "more than a slogate file can be", 1, 1),
                bad("deep nesting", "deep.yaml", FAULT_HEAD + "  type: " + "[".repeat(100_000) + "\n", "nests deeper than 64 levels", 5, 71),
                bad("billion laughs", "laughs.yaml", laughs(), "aliases expand to more than 10000 nodes", 5, 8),
                bad("alias before its anchor", "noanchor.yaml", FAULT_HEAD + "  type: *t\n", "alias *t refers to no anchor", 5, 9),
                bad("merge of a scalar", "mergescalar.yaml", FAULT_HEAD + "  <<: 3\n  type: pod-kill\n", "a merge key (<<) takes a map", 5, 3),
                new Case("a password file", d -> write(d, "passwd.yaml", "root:x:0:0:root:/root:/bin/bash\nsvc:x:999:999::/home/svc:/bin/sh\n"),
                        2, "not a document: a YAML scalar", 1, 1, "root:x"),
                new Case("a .env file referenced from a scenario", d -> {
                    write(d, ".env", "DB_PASSWORD=hunter2-secret\nAPI_TOKEN=abc123\n");
                    return write(d, "refenv.yaml", SCENARIO + "  slos: [.env]\n");
                }, 2, "not a document: a YAML scalar", 1, 1, "hunter2"),
                bad("a misspelt header is still read as a document", "typo.yaml", FAULT.replace("apiVersion", "apiversion"),
                        "unknown key 'apiversion' in the fault file; did you mean 'apiVersion'?", 1, 1),
                bad("a misspelt header is still read as a document", "typo.yaml", FAULT.replace("apiVersion", "apiversion"),
                        "unknown key 'apiversion' in the fault file; did you mean 'apiVersion'?", 1, 1),
                new Case("a config map that is not a slogate document", d -> write(d, "other.yaml", "password: hunter2-secret\nuser: admin\n"),
                        2, "not a slogate or OpenSLO document", 1, 1, "hunter2"),
                bad("a list of scalars", "scalars.yaml", "- a\n- b\n", "a YAML list of scalars", 1, 1),
                bad("an empty file", "empty.yaml", "# nothing\n", "the file is empty", 1, 1),
                // ---- numbers
                bad(".nan", "nan.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: .nan, below: 1s}}\n", "must be a finite number", 6, 39),
                bad(".inf", "inf.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: -.inf, below: 1s}}\n", "must be a finite number", 6, 39),
                bad("underscores in a number", "under.yaml", scenario(6, "    sandbox: {regions: 2, podsPerNode: 1_0}"), "must be a whole number, found the text '1_0'", 6, 40),
                bad("an integer overflow", "overflow.yaml", scenario(6, "    sandbox: {nodesPerRegion: 99999999999999999999999}"),
                        "nodesPerRegion is 99999999999999999999999, more than 64", 6, 31),
                bad("a step index overflow", "step.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: 95, below: 1s}, windows: ['step:99999999999']}\n",
                        "names no stage a load can have", 6, 65),
                bad("a rate of 1e12", "rate.yaml", scenario(8, "    stages: [{hold: {rps: 1e12, duration: 60s}}]"), "more than slogate can send", 8, 27),
                bad("a rate of .nan", "ratenan.yaml", scenario(8, "    stages: [{hold: {rps: .nan, duration: 60s}}]"), "is not a rate", 8, 27),
                bad("a duration far too long", "dlong.yaml", scenario(8, "    stages: [{hold: {rps: 10, duration: 99999999999999999999h}}]"), "far longer than any run", 8, 41),
                // ---- bounds
                bad("a sandbox of 26 x 100000 x 100000", "shape.yaml", scenario(6, "    sandbox: {regions: 26, nodesPerRegion: 100000, podsPerNode: 100000}"),
                        "nodesPerRegion is 100000, more than 64", 6, 44),
                bad("a sandbox of more than 64 pods", "pods.yaml", scenario(6, "    sandbox: {regions: 4, nodesPerRegion: 4, podsPerNode: 8}"),
                        "the sandbox would run 128 pods", 6, 14),
                bad("27 regions", "regions.yaml", scenario(6, "    sandbox: {regions: 27}"), "regions is 27, more than 26", 6, 24),
                bad("concurrency above its maximum", "conc.yaml", scenario(6, "    sandbox: {concurrency: 1000000}"), "concurrency is 1000000, more than 10000", 6, 28),
                bad("a stage longer than 24h", "d25.yaml", scenario(8, "    stages: [{hold: {rps: 10, duration: 25h}}]"), "longer than the 24h", 8, 41),
                bad("a run longer than 24h", "run.yaml", scenario(8, "    stages: [{hold: {rps: 1, duration: 13h}}, {hold: {rps: 1, duration: 13h}}]"),
                        "the run would last 26h", 8, 5),
                bad("percentile 100", "p100.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: 100, below: 1s}}\n", "between 0 and 100", 6, 39),
                bad("percentile 0", "p0.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: 0, below: 1s}}\n", "between 0 and 100", 6, 39),
                // ---- valid despite looking odd
                valid("a BOM", "bom.yaml", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, FAULT.getBytes(StandardCharsets.UTF_8))),
                valid("CRLF line ends", "crlf.yaml", FAULT.replace("\n", "\r\n")),
                valid("BOM and CRLF in a scenario", "bomcrlf.yaml", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                        SCENARIO.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8))),
                valid("anchors, aliases and merge keys", "anchors.yaml", """
                        apiVersion: slogate/v1
                        kind: Objectives
                        metadata: {name: o, annotations: {fast: &fast 200ms, base: &base {percentile: 95, below: 1s}}}
                        spec:
                          objectives:
                            - {name: a, latency: {percentile: 99, below: *fast}}
                            - {name: b, latency: {<<: *base, below: *fast}}
                        """),
                valid("a top-level list of documents", "list.yaml", "- " + SLO.replace("\n", "\n  ").strip() + "\n- " + SLO.replace("p95", "p99").replace("name: o", "name: o2").replace("\n", "\n  ").strip() + "\n"),
                valid("--- separated documents", "multi.yaml", SLO + "---\n" + SLO.replace("p95", "p99")),
                valid("a JSON object", "fault.json", "{\"apiVersion\": \"slogate/v1\", \"kind\": \"Fault\", \"metadata\": {\"name\": \"f\"},"
                        + " \"spec\": {\"type\": \"pod-kill\", \"selector\": {\"labels\": {\"app\": \"demo\"}, \"mode\": \"one\"}, \"duration\": \"10s\"}}"),
                valid("a JSON array of documents", "slos.json", "[{\"apiVersion\": \"slogate/v1\", \"kind\": \"Objectives\", \"metadata\": {\"name\": \"a\"},"
                        + " \"spec\": {\"objectives\": [{\"name\": \"p\", \"latency\": {\"percentile\": 95, \"below\": \"1s\"}}]}},"
                        + " {\"apiVersion\": \"openslo/v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"svc\"}, \"spec\": {}}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the old reader blocked forever on a FIFO
    void validateSaysWhereAndWhatToDo(Case c) throws Exception {
        Path file = c.setup().create(dir);
        Result r = InProcessCli.run("validate", file.toString());
        assertEquals(c.code(), r.code(), r.out());
        if (c.secret() != null) {
            assertFalse(r.out().contains(c.secret()), "the file's content is echoed:\n" + r.out());
        }
        if (c.code() == 0) {
            assertTrue(r.out().contains("ok     " + file), r.out());
            return;
        }
        List<String> lines = r.out().lines().toList();
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(c.message())) {
                at = i;
                break;
            }
        }
        assertTrue(at >= 0, "no problem says '" + c.message() + "':\n" + r.out());
        String problem = lines.get(at).strip();
        assertTrue(problem.matches(".+:" + c.line() + ":" + c.column() + ": .*"), "expected line " + c.line() + ", column " + c.column() + ": " + problem);
        assertTrue(at + 1 < lines.size() && lines.get(at + 1).strip().matches("hint: .{10,}"), "no hint after: " + problem + "\n" + r.out());
    }

    @Test
    void oneBrokenFileDoesNotStopTheOthers() throws Exception {
        Path zero = Path.of("/dev/zero");
        Path nan = write(dir, "others/nan.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: .nan, below: 1s}}\n");
        Path good = write(dir, "others/good.yaml", SLO);
        Path bad = write(dir, "others/bad.yaml", SLO_HEAD + "    - {name: p, latency: {percentile: 9_9, below: 1s}}\n");
        Result r = InProcessCli.run("validate", zero.toString(), nan.toString(), good.toString(), bad.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("FAILED /dev/zero"), r.out());
        assertTrue(r.out().contains(nan + ":6:39: "), r.out());
        assertTrue(r.out().contains("ok     " + good), r.out());
        assertTrue(r.out().contains(bad + ":6:39: "), r.out());
        assertTrue(r.out().contains("4 files, 3 with problems"), r.out());
    }

    @Test
    void aFolderIsReadForYamlAndJsonFiles() throws Exception {
        write(dir, "folder/a.yaml", SLO);
        write(dir, "folder/b.json", "{\"apiVersion\": \"slogate/v1\", \"kind\": \"Objectives\", \"metadata\": {\"name\": \"b\"},"
                + " \"spec\": {\"objectives\": [{\"name\": \"p\", \"latency\": {\"percentile\": 95, \"below\": \"2s\"}}]}}");
        write(dir, "folder/notes.txt", "not read");
        Result r = InProcessCli.run("validate", dir.resolve("folder").toString());
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("2 files, 0 with problems"), r.out());
    }
}
