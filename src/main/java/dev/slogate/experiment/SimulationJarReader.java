package dev.slogate.experiment;

import dev.slogate.yaml.Fields;
import dev.slogate.yaml.YamlNode;
import dev.slogate.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code spec.load.simulationJar}: where a user's own Gatling simulation lives, one jar or a list of jars and
 * class directories (the project's classes plus its dependency jars). Paths are relative to the scenario file. Whether
 * the class is really in there is checked by {@code plan} and {@code run}, which load it.
 */
final class SimulationJarReader {
    private final YamlReader r;

    SimulationJarReader(YamlReader r) {
        this.r = r;
    }

    /** The classpath, absolute; empty when the key is absent. Problems (missing files, no simulation) are recorded. */
    List<Path> classpath(Fields load, String simulation, boolean simulationGiven) {
        YamlNode node = load.get("simulationJar");
        if (node == null) {
            return List.of();
        }
        String where = load.path("simulationJar");
        if (simulation == null && !simulationGiven) {
            r.problem(node, where + " is set but spec.load.simulation is not",
                    "name the class to run: simulation: com.acme.CheckoutSimulation");
        }
        List<YamlNode> items = node instanceof YamlNode.ListNode ? r.list(node, where) : List.of(node);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            r.problem(node, where + " is empty", "write simulationJar: target/app-tests.jar");
        }
        Path base = r.file().toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (YamlNode item : items) {
            String text = r.text(item, where);
            if (text == null) {
                continue;
            }
            Path p = base.resolve(text).normalize();
            if (!Files.isDirectory(p) && !(Files.isRegularFile(p) && text.endsWith(".jar"))) {
                r.problem(item, where + ": " + p + (Files.exists(p) ? " is neither a .jar nor a directory" : " does not exist"),
                        "build the project first (mvn package), and give the path relative to this file:"
                                + " a jar, or target/classes plus each dependency jar as a list");
                continue;
            }
            out.add(p);
        }
        return out;
    }
}
