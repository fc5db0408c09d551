package dev.slogate.load.fleet;

import java.nio.file.Path;

/** Where a run's injectors go: makes the {@link InjectorLauncher} once the run's id and journal are known. */
@FunctionalInterface
public interface InjectorSite {
    /** Injector processes on this machine (the default). */
    InjectorSite LOCAL = (runId, journalDir) -> new LocalInjectors(Fleet.defaultFlags());

    InjectorLauncher launcher(String runId, Path journalDir);
}
