package dev.slogate.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
    private final Secrets none = new Secrets();

    private String text(String s) {
        return Redaction.text(s, none);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // user-info
            "http://user:S3cret@host:9090/api|http://user:***@host:9090/api",
            "https://user:S3cret@host|https://user:***@host",
            "http://user:S3cretP@ss@127.0.0.1:9090|http://user:***@127.0.0.1:9090",
            "http://user:S3cretP%40ss@127.0.0.1:9090/|http://user:***@127.0.0.1:9090/",
            "http://us%40er:p%3Ass@host/|http://us%40er:***@host/",
            "http://user:@host/|http://user:***@host/",
            "http://user@host:9090/|http://user@host:9090/",
            "http://host:9090/|http://host:9090/",
            "http://host/users/@me|http://host/users/@me",
            "http://host:8080/a@b?c=d@e|http://host:8080/a@b?c=d@e",
            "jdbc:postgresql://app:pw@db:5432/shop|jdbc:postgresql://app:***@db:5432/shop",
            // parameters
            "http://host/?password=S3cret|http://host/?password=***",
            "http://host/?a=1&password=S3cret&b=2|http://host/?a=1&password=***&b=2",
            "http://host/?token=t1&access_token=t2&api_key=k&sig=s&x=1|http://host/?token=***&access_token=***&api_key=***&sig=***&x=1",
            "http://host/?PASSWORD=S3cret|http://host/?PASSWORD=***",
            "http://host/?pwd=a%20b#top|http://host/?pwd=***#top",
            "http://host/?password=|http://host/?password=",
            "http://host/?keyword=x|http://host/?keyword=***",
            "http://host/?q=password|http://host/?q=password",
            "/api/items?id=1&X-Amz-Signature=abc123|/api/items?id=1&X-Amz-Signature=***",
            "jdbc:postgresql://db:5432/shop?user=app&password=pw&sslpassword=k|jdbc:postgresql://db:5432/shop?user=app&password=***&sslpassword=***",
            "jdbc:postgresql://u:p@h/db?password=x|jdbc:postgresql://u:***@h/db?password=***",
            "jdbc:sqlserver://h:1433;user=app;password=pw;db=x|jdbc:sqlserver://h:1433;user=app;password=***;db=x",
    })
    void urls(String in, String shown) {
        assertEquals(shown, Redaction.url(in));
        assertEquals(shown, text(in));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "Authorization: Bearer tok-XYZ|Authorization: ***",
            "authorization: Basic dXNlcjpwYXNz|authorization: ***",
            "Proxy-Authorization: Basic abc|Proxy-Authorization: ***",
            "Cookie: session=abc; theme=dark|Cookie: ***",
            "Set-Cookie: id=a3fWa; Secure|Set-Cookie: ***",
            "X-Api-Key: ApiK3y-123|X-Api-Key: ***",
            "x-auth-token:abc|x-auth-token:***",
            "X-Trace-Id: 42|X-Trace-Id: 42",
            "Content-Type: application/json|Content-Type: application/json",
            "`{\"Authorization\": \"Bearer tok\", \"Accept\": \"*/*\"}`|`{\"Authorization\": \"***\", \"Accept\": \"*/*\"}`",
            "`{Authorization=Bearer tok, X-Api-Key=k1, Accept=x}`|`{Authorization=***, X-Api-Key=***, Accept=x}`",
            "`<td>Authorization: Bearer tok</td>`|`<td>Authorization: ***</td>`",
            "`| Authorization: Bearer tok |`|`| Authorization: *** |`",
    })
    void headersInText(String in, String shown) {
        assertEquals(shown, text(in));
    }

    @Test
    void headerNamesAreCaseInsensitiveAndMatchTheDocumentedParts() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("AUTHORIZATION", "Bearer a");
        h.put("x-api-key", "k");
        h.put("X-CSRF-Token", "t");
        h.put("Client-Secret", "s");
        h.put("X-Password", "p");
        h.put("cookie", "c=1");
        h.put("Accept", "application/json");
        h.put("X-Request-Id", "42");
        Map<String, String> shown = Redaction.headers(h);
        assertEquals(Map.of("AUTHORIZATION", "***", "x-api-key", "***", "X-CSRF-Token", "***", "Client-Secret", "***",
                "X-Password", "***", "cookie", "***", "Accept", "application/json", "X-Request-Id", "42"), shown);
        assertEquals("", Redaction.header("Authorization", ""));
    }

    @Test
    void secretNames() {
        for (String n : new String[] {"password", "passwd", "pwd", "pass", "secret", "client_secret", "token", "access_token",
                "refresh-token", "key", "apikey", "api_key", "sig", "signature", "auth", "session", "JSESSIONID", "credentials", "sslpassword"}) {
            assertTrue(Redaction.isSecretName(n), n);
        }
        for (String n : new String[] {"user", "id", "name", "q", "passenger", "author", "page", "passwordEnv", "tokenEnv", "design"}) {
            assertFalse(Redaction.isSecretName(n), n);
        }
    }

    @Test
    void environmentVariableNames() {
        assertTrue(Redaction.isEnvName("DB_PASSWORD"));
        assertTrue(Redaction.isEnvName("_x1"));
        assertFalse(Redaction.isEnvName("hunter2!"));
        assertFalse(Redaction.isEnvName("1PASSWORD"));
        assertFalse(Redaction.isEnvName("my password"));
        assertFalse(Redaction.isEnvName(""));
        assertFalse(Redaction.isEnvName(null));
    }

    @Test
    void jsonFieldsWithSecretNamesAreMaskedAndStayJson() throws Exception {
        String json = "{\"user\":\"app\",\"password\":\"p\\\"w\",\"dashboard\":\"http://a:b@h:2333\",\"tokenEnv\":\"CHAOS_TOKEN\"}";
        String shown = text(json);
        assertEquals("{\"user\":\"app\",\"password\":\"***\",\"dashboard\":\"http://a:***@h:2333\",\"tokenEnv\":\"CHAOS_TOKEN\"}", shown);
        new ObjectMapper().readTree(shown);
    }

    @Test
    void proseAndHintsAreLeftAlone() {
        String[] unchanged = {
                "remove password= from the url and name an environment variable: passwordEnv: DB_PASSWORD",
                "write the variable's name, not the token: tokenEnv: CHAOS_TOKEN",
                "cloud: {namespace: shop, secretName: cloud-key-secret}",
                "sandbox: 2 regions x 2 nodes; autoscaler min=2,max=8,metric=rps,targetPerPod=100",
                "p99 latency < 200ms over fault:kill-one, recovery:kill-one",
                "sum(rate(http_requests_total{job=\"demo\",code=~\"5..\"}[1m]))",
                "2026-12-06T21:30:41Z fault a reverted",
                "write to mailto:someone@example.com or user@host",
        };
        for (String s : unchanged) {
            assertEquals(s, text(s));
        }
    }

    @Test
    void everyOccurrenceInFreeTextIsMasked() {
        String in = "error: Prometheus at http://user:S3cret@127.0.0.1:1/ is unreachable; target http://a:b@h/?token=t1 and "
                + "jdbc:postgresql://u:p@db/x?password=q";
        assertEquals("error: Prometheus at http://user:***@127.0.0.1:1/ is unreachable; target http://a:***@h/?token=*** and "
                + "jdbc:postgresql://u:***@db/x?password=***", text(in));
    }

    @Test
    void redactionIsIdempotent() {
        String in = "http://u:p@h/?password=x Authorization: Bearer y {\"secret\":\"z\"}";
        assertEquals(text(in), text(text(in)));
        // what follows a mask stays: a plan line redacted at its source and again by the console
        String line = "  request GET /?token=***: GET /?token=***, headers Authorization: *** (bearer), X-Api-Key: ***";
        assertEquals(line, text(line));
    }

    @Test
    void aUrlWithoutSchemeStillHidesItsPassword() {
        assertEquals("prom:***@127.0.0.1:9090", Redaction.url("prom:S3cretP@ss@127.0.0.1:9090"));
        assertEquals("127.0.0.1:9090/x@y", Redaction.url("127.0.0.1:9090/x@y"));
        assertEquals("/path?a=1", Redaction.url("/path?a=1"));
    }

    @Test
    void nullAndEmpty() {
        assertNull(Redaction.text(null));
        assertNull(Redaction.url(null));
        assertEquals("", Redaction.text(""));
    }

    @Test
    void aLongJsonStringIsReadWithoutRecursionOnASmallStack() throws Exception {
        // report.json holds long base64 strings (every second's histograms): a backtracking pattern recursed once per
        // character and overflowed the launcher's 512 KiB stack after runs at 10k rps, before the report was written
        String body = "{\"histogram\": \"" + "A".repeat(200_000) + "\", \"password\": \"hunter22\"}";
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                out.set(Redaction.text(body));
            } catch (Throwable e) {
                out.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join(60_000);
        assertTrue(out.get() instanceof String, "redacted without error: " + out.get());
        assertTrue(((String) out.get()).startsWith("{\"histogram\": \"AAAA"));
        assertFalse(((String) out.get()).contains("hunter22"));
    }
}
