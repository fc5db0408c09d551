package dev.slogate.load;

import dev.slogate.experiment.Load;
import io.gatling.commons.util.GatlingVersion;
import io.gatling.core.config.GatlingConfiguration;
import io.gatling.core.scenario.SimulationParams;
import io.gatling.core.structure.PopulationBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A team's own Gatling simulation, loaded from its own jar (or classes plus dependency jars) in its own
 * {@link SimulationClassLoader}, on slogate's embedded Gatling. It must use Gatling's Java DSL (from Java or Kotlin)
 * compiled against the embedded version; anything else fails here, before a run starts, with what to do.
 */
public final class OwnSimulation {
    /** Gatling artifacts whose version must match the embedded one, as found in jar names or Maven metadata. */
    private static final Pattern GATLING_JAR = Pattern.compile("(gatling-[a-z-]+?)-(\\d+\\.\\d+[^/]*?)\\.jar");
    private static final Pattern GATLING_POM = Pattern.compile("META-INF/maven/io\\.gatling/([^/]+)/pom\\.properties");

    private final Class<?> simulationClass;
    private final ClassLoader loader;

    private OwnSimulation(Class<?> simulationClass, ClassLoader loader) {
        this.simulationClass = simulationClass;
        this.loader = loader;
    }

    /** The Gatling version slogate runs simulations on. */
    public static String embeddedGatling() {
        return GatlingVersion.ThisVersion().fullVersion();
    }

    /** Loads {@code load.simulation()} from {@code load.simulationClasspath()}; a clear error when it cannot run here. */
    public static OwnSimulation open(Load load) {
        return open(load.simulation(), load.simulationClasspath());
    }

    static OwnSimulation open(String className, List<Path> classpath) {
        for (Path p : classpath) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("simulation classpath entry " + p + " does not exist; build the project"
                        + " first (mvn package) or fix the path");
            }
        }
        foreignGatling(classpath).ifPresent(found -> {
            throw new IllegalArgumentException(found + ", but slogate runs simulations on its embedded Gatling "
                    + embeddedGatling() + ": build the simulation against io.gatling:gatling-core-java and gatling-http-java "
                    + embeddedGatling() + " (scope provided, so that Gatling stays out of the jar)");
        });
        SimulationClassLoader loader = new SimulationClassLoader(classpath, OwnSimulation.class.getClassLoader());
        Class<?> c;
        try {
            c = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("simulation class " + className + " is not in " + classpath
                    + "; check its package and name (jar tf " + classpath.get(0).getFileName() + " lists the classes)");
        } catch (LinkageError e) {
            throw linkage(className, e);
        }
        if (!io.gatling.javaapi.core.Simulation.class.isAssignableFrom(c)) {
            String why = io.gatling.core.scenario.Simulation.class.isAssignableFrom(c)
                    ? " is a Scala DSL simulation; slogate runs Java DSL simulations (written in Java or Kotlin)"
                    : " is not a Gatling simulation (it does not extend io.gatling.javaapi.core.Simulation)";
            throw new IllegalArgumentException("simulation class " + className + why);
        }
        if (Modifier.isAbstract(c.getModifiers())) {
            throw new IllegalArgumentException("simulation class " + className + " is abstract; name a concrete subclass");
        }
        try {
            c.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("simulation class " + className + " has no public no-argument constructor;"
                    + " Gatling creates simulations through it");
        }
        return new OwnSimulation(c, loader);
    }

    Class<?> simulationClass() {
        return simulationClass;
    }

    /** Runs {@code work} with the simulation's class loader as the thread's context class loader. */
    <T> T inContext(Callable<T> work) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return work.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /**
     * The first Gatling jar or bundled Gatling artifact of another version than the embedded one, described (e.g.
     * "app-tests.jar bundles Gatling 3.11.5 (gatling-core-java)"); empty when there is none.
     */
    static Optional<String> foreignGatling(List<Path> classpath) {
        String embedded = embeddedGatling();
        for (Path p : classpath) {
            String file = p.getFileName() == null ? "" : p.getFileName().toString();
            Matcher m = GATLING_JAR.matcher(file);
            if (Files.isRegularFile(p) && m.matches() && !m.group(2).equals(embedded)) {
                return Optional.of("the simulation classpath holds " + file + " (Gatling " + m.group(2) + ")");
            }
            if (Files.isRegularFile(p)) {
                Optional<String> bundled = bundledGatling(p, embedded);
                if (bundled.isPresent()) {
                    return bundled;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> bundledGatling(Path jar, String embedded) {
        try (JarFile j = new JarFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(j.entries())) {
                Matcher m = GATLING_POM.matcher(e.getName());
                if (m.matches()) {
                    Properties props = new Properties();
                    try (InputStream in = j.getInputStream(e)) {
                        props.load(in);
                    }
                    String version = props.getProperty("version", "?");
                    if (!version.equals(embedded)) {
                        return Optional.of(jar.getFileName() + " bundles Gatling " + version + " (" + m.group(1) + ")");
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException(jar + " is not a readable jar: " + e.getMessage(), e);
        }
    }

    static IllegalArgumentException linkage(String className, LinkageError e) {
        return new IllegalArgumentException("simulation " + className + " does not link against slogate's embedded Gatling "
                + embeddedGatling() + " (" + e + "): it was built against another Gatling version, or it needs a class"
                + " missing from its classpath; build it against io.gatling:gatling-core-java " + embeddedGatling()
                + " and give its dependency jars too", e);
    }

    /**
     * What the simulation's {@code setUp} injects, read by creating the simulation (its constructor runs; its
     * {@code before} hook and its requests do not): a line per population, e.g.
     * {@code checkout: OpenInjectionProfile(...) (40 users)}, then its max duration and throttling if it has them.
     */
    public List<String> injectionProfile(Duration requestTimeout) {
        try {
            SimulationParams params = inContext(() -> params(GatlingEngine.configuration(requestTimeout)));
            List<String> lines = new ArrayList<>();
            describe(CollectionConverters.asJava(params.rootPopulationBuilders()), "", lines);
            if (params.maxDuration().isDefined()) {
                lines.add("maxDuration " + params.maxDuration().get());
            }
            if (!params.throttlings().global().isEmpty() || params.throttlings().perScenario().nonEmpty()) {
                lines.add("throttled (requests per second capped by the simulation)");
            }
            return lines;
        } catch (LinkageError e) {
            throw linkage(simulationClass.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("creating simulation " + simulationClass.getName() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalArgumentException("creating simulation " + simulationClass.getName() + " failed: " + e, e);
        }
    }

    /** Creates the simulation and builds its parameters, as Gatling does before a run (not its before hook). */
    SimulationParams params(GatlingConfiguration configuration) throws ReflectiveOperationException {
        GatlingEngine.useConfiguration(configuration);
        io.gatling.javaapi.core.Simulation s = (io.gatling.javaapi.core.Simulation) simulationClass.getConstructor().newInstance();
        return s.params(configuration, null);
    }

    /** Gatling's own description of the steps, without its collection wrappers: "RampRate(1.0,10.0,3 seconds), ...". */
    static String steps(String profile) {
        return profile.replaceFirst("^(Open|Closed)InjectionProfile\\(List\\((.*)\\)\\)$", "$1: $2")
                .replaceAll("(Open|Closed)Injection\\(", "(");
    }

    private static void describe(List<PopulationBuilder> populations, String indent, List<String> lines) {
        for (PopulationBuilder p : populations) {
            var users = p.injectionProfile().totalUserCount();
            lines.add(indent + p.scenarioBuilder().name() + ": " + steps(p.injectionProfile().toString())
                    + (users.isDefined() ? " (" + users.get() + " users)" : ""));
            for (var next : CollectionConverters.asJava(p.children())) {
                describe(CollectionConverters.asJava(next), indent + "  then ", lines);
            }
        }
    }
}
