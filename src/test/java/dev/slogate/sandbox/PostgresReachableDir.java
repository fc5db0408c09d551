package dev.slogate.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A fresh directory the postgres user can reach: under /tmp (world-traversable) with mode 755, because the checkout
 * the tests run from may sit below a directory only root can enter (e.g. /root), and JUnit's temp dirs are 700.
 */
public final class PostgresReachableDir {
    private PostgresReachableDir() {
    }

    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "slogate-" + prefix + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
