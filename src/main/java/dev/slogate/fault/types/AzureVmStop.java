package dev.slogate.fault.types;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slogate.experiment.Backend;
import dev.slogate.experiment.CloudInstance;
import dev.slogate.experiment.FaultKeys;
import dev.slogate.experiment.FaultKind;
import dev.slogate.experiment.FaultOptions;
import dev.slogate.experiment.FaultSpec;
import dev.slogate.fault.chaosmesh.ChaosKind;
import dev.slogate.fault.chaosmesh.ChaosMeshFault;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code azure-vm-stop}: a Chaos Mesh AzureChaos vm-stop of the one instance named in {@code cloud:} (opt-in per scenario: allowCloudFaults). */
public final class AzureVmStop implements FaultKind, ChaosMeshFault {
    @Override
    public String id() {
        return "azure-vm-stop";
    }

    @Override
    public Set<Backend> backends() {
        return EnumSet.of(Backend.CHAOS_MESH);
    }

    /** The Chaos Dashboard (2.8) keeps no record of AzureChaos. */
    @Override
    public String unrecordedByChaosDashboard() {
        return "AzureChaos";
    }

    @Override
    public List<String> keys() {
        return List.of(CloudInstance.KEY);
    }

    @Override
    public FaultOptions read(FaultKeys keys) {
        return CloudInstance.read(keys, type());
    }

    @Override
    public List<String> cloudInstanceKeys() {
        return List.of("subscriptionID", "resourceGroupName", "vmName");
    }

    @Override
    public ChaosKind chaosKind() {
        return ChaosKind.AZURE_CHAOS;
    }

    @Override
    public void action(ObjectNode s, FaultSpec fault) {
        s.put("action", "vm-stop");
    }
}
