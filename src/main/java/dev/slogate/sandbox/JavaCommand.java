package dev.slogate.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The command line for a child JVM that runs one of our main classes from the current classpath. */
public final class JavaCommand {
    /** Small heap, one GC thread, C1 only: the sandbox runs many of these on two cores. */
    static final List<String> LIGHT = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1", "-Xss256k", "-XX:-UsePerfData");

    private JavaCommand() {
    }

    public static List<String> of(String mainClass, List<String> jvmFlags, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The current classpath. A single jar whose manifest carries the real classpath (Maven's surefire/failsafe booter)
     * is expanded, because that jar is deleted when the test JVM exits while the sandbox daemon may live on.
     */
    static String classpath() {
        String cp = System.getProperty("java.class.path");
        if (cp.contains(File.pathSeparator) || !cp.endsWith(".jar")) {
            return cp;
        }
        Path jar = Path.of(cp).toAbsolutePath();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String entries = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (entries == null || entries.isBlank()) {
                return cp;
            }
            List<String> out = new ArrayList<>();
            URI base = jar.getParent().toUri();
            for (String e : entries.trim().split("\\s+")) {
                out.add(Path.of(base.resolve(e)).toString());
            }
            return String.join(File.pathSeparator, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath jar " + jar, e);
        }
    }
}
