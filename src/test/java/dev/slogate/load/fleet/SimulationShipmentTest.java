package dev.slogate.load.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationShipmentTest {
    @TempDir
    Path dir;

    private static BufferedReader wire(SimulationShipment shipment) throws IOException {
        List<String> lines = new ArrayList<>();
        shipment.send(m -> lines.add(Wire.line(m)));
        return new BufferedReader(new StringReader(String.join("\n", lines) + "\n"));
    }

    @Test
    void jarsAndClassDirectoriesArriveAsCheckedLocalJars() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("coordinator/classes/com/acme"));
        Files.writeString(classes.resolve("A.class"), "not really a class");
        byte[] big = new byte[700_000]; // several chunks
        new java.util.Random(7).nextBytes(big);
        Path jar = Files.write(dir.resolve("coordinator/lib.jar"), big);
        SimulationShipment shipment = SimulationShipment.of(List.of(dir.resolve("coordinator/classes"), jar), dir.resolve("staging"));

        List<Path> local = SimulationShipment.receive(shipment.manifest(), wire(shipment), dir.resolve("injector"));
        assertEquals(List.of(dir.resolve("injector/0-classes.jar"), dir.resolve("injector/1-lib.jar")), local);
        assertArrayEquals(big, Files.readAllBytes(local.get(1)));
        try (JarFile j = new JarFile(local.get(0).toFile())) {
            assertEquals("not really a class", new String(j.getInputStream(j.getEntry("com/acme/A.class")).readAllBytes()));
        }
    }

    @Test
    void aFileThatDoesNotMatchItsDigestIsRefused() throws IOException {
        Path jar = Files.writeString(dir.resolve("lib.jar"), "the coordinator's bytes");
        SimulationShipment shipment = SimulationShipment.of(List.of(jar), dir.resolve("staging"));
        BufferedReader sent = wire(shipment);
        try (RandomAccessFile f = new RandomAccessFile(jar.toFile(), "rw")) {
            f.write('X'); // the manifest's digest no longer matches what the wire carries
        }
        BufferedReader damaged = wire(shipment);
        ArrayNode manifest = shipment.manifest();
        IOException e = assertThrows(IOException.class, () -> SimulationShipment.receive(manifest, damaged, dir.resolve("injector")));
        assertTrue(e.getMessage().contains("lib.jar is damaged") && e.getMessage().contains("SHA-256"), e.getMessage());
        assertEquals(1, SimulationShipment.receive(manifest, sent, dir.resolve("ok")).size());
    }

    @Test
    void aClasspathTooLargeToShipNamesItsSizeAndWhatToDo() throws IOException {
        Path jar = dir.resolve("fat.jar");
        try (RandomAccessFile f = new RandomAccessFile(jar.toFile(), "rw")) {
            f.setLength(SimulationShipment.MAX_BYTES + 1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimulationShipment.checkSize(List.of(jar)));
        assertTrue(e.getMessage().contains("64.0 MiB") && e.getMessage().contains("fat.jar") && e.getMessage().contains("up to 64 MiB")
                && e.getMessage().contains("scope provided"), e.getMessage());
    }
}
