package dev.slogate.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slogate.experiment.ProbeSpec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDBC write path without a database: where the password comes from, and that it never shows in a message. */
class JdbcWritePathTest {
    private static final String SECRET = "s3cr3t-value";

    private static ProbeSpec spec(String passwordEnv) {
        return ProbeSpec.jdbc("db", new ProbeSpec.Jdbc("jdbc:postgresql://x", "app", passwordEnv, "t"), 50, Duration.ofSeconds(1));
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMissingPasswordVariableIsNamedNotGuessed() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/db";
        try (JdbcWritePath path = new JdbcWritePath(spec("APP_DB_PASSWORD"), url, "run", name -> null)) {
            SQLException e = assertThrows(SQLException.class, () -> path.open(1));
            assertTrue(e.getMessage().contains("the environment variable APP_DB_PASSWORD (passwordEnv of probe db) is not set"), e.getMessage());
            assertEquals(0, path.write(1, System.currentTimeMillis()).get(), "a write without a password is refused");
        }
    }

    @Test
    void thePasswordNeverAppearsInAnError() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/db";
        List<String> asked = new java.util.ArrayList<>();
        try (JdbcWritePath path = new JdbcWritePath(spec("APP_DB_PASSWORD"), url, "run", name -> {
            asked.add(name);
            return SECRET;
        })) {
            SQLException open = assertThrows(SQLException.class, () -> path.open(1));
            SQLException read = assertThrows(SQLException.class, () -> path.readBack(1));
            assertEquals(List.of("APP_DB_PASSWORD", "APP_DB_PASSWORD"), asked, "the password is read from the variable the spec names");
            for (SQLException e : List.of(open, read)) {
                assertTrue(e.getMessage().contains(url), e.getMessage()); // says where it failed...
                assertFalse(e.getMessage().contains(SECRET), e.getMessage()); // ...never with what
            }
        }
    }

    @Test
    void tableNamesAreCheckedBeforeTheyReachSql() {
        ProbeSpec bad = ProbeSpec.jdbc("db", new ProbeSpec.Jdbc("jdbc:postgresql://x", "app", null, "t; DROP TABLE x"), 50,
                Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, () -> new JdbcWritePath(bad, "jdbc:postgresql://x", "run", n -> null));
    }

    @Test
    void theSandboxUrlListsBothServersAndAsksForThePrimary() {
        assertEquals("jdbc:postgresql://127.0.0.1:5001,127.0.0.1:5002/postgres?targetServerType=primary&hostRecheckSeconds=1",
                JdbcWritePath.sandboxUrl(List.of("127.0.0.1:5001", "127.0.0.1:5002")));
    }
}
