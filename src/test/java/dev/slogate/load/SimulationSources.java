package dev.slogate.load;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles a user's simulation (Java source, Gatling's Java DSL only) into a classes directory outside slogate's classpath. */
public final class SimulationSources {
    private SimulationSources() {
    }

    public static Path compile(Path dir, String className, String source) throws IOException {
        Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classpath(), "--release", "17",
                "-proc:none", src.toString()));
        int code = javac.run(null, null, null, args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("javac failed with " + code + " on " + src);
        }
        return classes;
    }

    /** The Gatling jars of the test JVM's classpath (surefire may hand them over through a manifest-only jar). */
    private static String classpath() {
        String cp = System.getProperty("java.class.path");
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : cp.replace(File.pathSeparatorChar, File.pathSeparatorChar);
    }
}
