package dev.slogate.load;

import dev.slogate.experiment.Load;
import java.nio.file.Path;

/** What to run: the load model against {@code baseUrl}; Gatling's own files go under {@code workDir}. */
public record LoadPlan(String baseUrl, Load load, Path workDir) {
}
