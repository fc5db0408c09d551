package dev.slogate.experiment;

import dev.slogate.yaml.YamlNode;

/** A scheduled fault and the scenario nodes it was written at (for problems found when the scenario is checked as a whole). */
record PlacedFault(ScheduledFault fault, YamlNode item, YamlNode nameNode, YamlNode atNode) {
}
