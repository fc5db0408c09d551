package dev.slogate.load;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The class loader of a user's own simulation: its jars and class directories first, so that its own dependencies
 * (another Jackson, Kotlin's standard library) do not clash with slogate's; but Gatling, Scala, Netty, logging and the
 * JDK always from slogate, so the simulation's DSL objects are the ones the embedded engine runs.
 */
final class SimulationClassLoader extends URLClassLoader {
    /** Packages the simulation shares with slogate's embedded Gatling; a copy of them in the user's jar is ignored. */
    static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "io.gatling.", "scala.",
            "akka.", "org.apache.pekko.", "io.netty.", "com.typesafe.", "org.slf4j.", "ch.qos.logback.", "dev.slogate.");

    static {
        registerAsParallelCapable();
    }

    SimulationClassLoader(List<Path> classpath, ClassLoader parent) {
        super("slogate-simulation", urls(classpath), parent);
    }

    private static URL[] urls(List<Path> classpath) {
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = classpath.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("not a usable classpath entry: " + classpath.get(i), e);
            }
        }
        return urls;
    }

    static boolean shared(String className) {
        return SHARED.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return super.loadClass(name, resolve); // parent first
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
