package dev.slogate.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.redact.Secrets;
import dev.slogate.timeline.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every report file goes through the redaction: target, events, notes and problems never carry a secret. */
class ReportRedactionTest {
    @TempDir
    Path dir;

    @Test
    void noReportFileCarriesAPasswordATokenOrASecretHeader() throws Exception {
        Secrets.process().remember("tok-Report-7781");
        String target = "http://user:S3cretP%40ss@127.0.0.1:8080";
        RunReport r = new RunReport(RunReport.SCHEMA_VERSION, "secrets", "demo", target, 1_000, 2_000, 2,
                "Not run: Prometheus at http://user:S3cretP@ss@127.0.0.1:9/ is unreachable",
                List.of(new Event(1_000, Event.Kind.RUN_START, "demo", "run secrets against " + target)), List.of(), List.of(),
                List.of(), List.of("request GET /?password=QueryP4ss&x=1 failed: Authorization: Bearer tok-Report-7781"),
                List.of(), List.of("probe orders: jdbc:postgresql://app:DbPw-991@db/x?sslpassword=K3y-pass refused"));
        List<Path> files = Reports.writeAll(r, dir);
        assertEquals(4, files.size());
        for (Path f : files) {
            String text = Files.readString(f);
            for (String secret : List.of("S3cretP", "QueryP4ss", "tok-Report-7781", "DbPw-991", "K3y-pass")) {
                assertFalse(text.contains(secret), f.getFileName() + " shows " + secret);
            }
        }
        String json = Files.readString(dir.resolve(JsonReport.FILE_NAME));
        assertTrue(json.contains("http://user:***@127.0.0.1:8080"), json);
        RunReport back = JsonReport.read(dir);
        assertEquals("http://user:***@127.0.0.1:8080", back.target(), "the redacted report.json is still a report");
        assertTrue(back.notes().get(0).contains("?password=***&x=1"), back.notes().toString());
    }
}
